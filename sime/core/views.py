from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.generic import ListView
from django.views.i18n import set_language

from sime.core.access import RuleRequiredMixin
from sime.core.forms import AuditFilterForm
from sime.core.models import AuditEvent
from sime.core.selectors import audit_events


class AuditListView(RuleRequiredMixin, ListView):
    permission_required = "core.view_auditevent"
    template_name = "core/audit_list.html"
    paginate_by = 50
    context_object_name = "events"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        distinct = AuditEvent.objects.order_by()
        self.form = AuditFilterForm(
            self.request.GET or None,
            actor_choices=distinct.exclude(actor_id=None).values_list("actor_id", "actor_email").distinct(),
            institution_choices=distinct.exclude(institution_id=None)
            .values_list("institution_id", "institution_name")
            .distinct(),
        )
        if self.form.is_bound and self.form.is_valid():
            data = self.form.cleaned_data
            return audit_events(
                actor_id=data["actor"],
                institution_id=data["institution"],
                content_type_id=data["content_type"].pk if data["content_type"] else None,
                object_id=data["object_id"],
                date_from=data["date_from"],
                date_to=data["date_to"],
                text=data["text"],
            )
        if self.form.is_bound:
            return AuditEvent.objects.none()
        return audit_events()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(form=self.form, **kwargs)


@login_not_required
def switch_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, open also on the login page."""
    return set_language(request)
