from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from sime.core.access import RuleRequiredMixin
from sime.notifications import selectors, services
from sime.notifications.models import Notification, is_local_path

UNREAD_FILTER = "no-leidas"


def _safe_target(request: HttpRequest, url: str | None) -> str | None:
    """`url` if it is a path of this site; otherwise None (never redirect elsewhere)."""
    if not url or not is_local_path(url):
        return None
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else None


class NotificationListView(RuleRequiredMixin, ListView):
    """Every notification of the person, newest first, 25 a page; `?estado=no-leidas` for the unread."""

    permission_required = "notifications.view_notifications"
    template_name = "notifications/notification_list.html"
    context_object_name = "notifications"
    paginate_by = 25

    def get_queryset(self):  # type: ignore[no-untyped-def]
        self.unread_only = self.request.GET.get("estado") == UNREAD_FILTER
        return selectors.notification_list(self.user, unread_only=self.unread_only)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(unread_only=self.unread_only, unread_filter=UNREAD_FILTER, **kwargs)


@method_decorator(never_cache, name="dispatch")
class NotificationMenuView(RuleRequiredMixin, TemplateView):
    """The bell's drop-down list, loaded by htmx when it opens (so other pages never pay for it)."""

    permission_required = "notifications.view_notifications"
    template_name = "notifications/_menu.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(notifications=selectors.latest_notifications(self.user), **kwargs)


class NotificationOpenView(RuleRequiredMixin, SingleObjectMixin, View):
    """Opening a notification marks it read and goes to what it tells of.

    A link (GET) so that it behaves like any link (new tab, screen readers' list of links); the only
    change it makes is the person's own read mark. Another person's notification is a 404, and the
    target must be a path of this site."""

    permission_required = "notifications.open_notification"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.own_notifications(self.user)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        notification: Notification = services.mark_read(by=self.user, notification=self.get_object())
        target = _safe_target(request, notification.url) or reverse("notifications:notification-list")
        return HttpResponseRedirect(target)


class MarkAllReadView(RuleRequiredMixin, View):
    """«Marcar todas como leídas» (POST), then back to the page it was asked from."""

    permission_required = "notifications.mark_notifications_read"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        count = services.mark_all_read(by=self.user)
        if count:
            text = ngettext(
                "Se marcó %(count)s notificación como leída.",
                "Se marcaron %(count)s notificaciones como leídas.",
                count,
            ) % {"count": count}
        else:
            text = gettext("No había notificaciones sin leer.")
        messages.success(request, text)
        target = _safe_target(request, request.POST.get("next")) or reverse("notifications:notification-list")
        return HttpResponseRedirect(target)
