from typing import Any

from django.http import HttpResponse
from django.views.generic import FormView
from django.views.generic.detail import SingleObjectMixin

from sime.core.access import RuleRequiredMixin


class ObjectFormView(RuleRequiredMixin, SingleObjectMixin, FormView):
    """A form about one object (edit it, act on it), behind a rule.

    `get_queryset()` must be scoped to what the user may reach, so that another
    institution's object is a 404 before the rule is even asked.
    """

    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)
