from typing import Any

from django.views.generic import TemplateView

from sime.analytics.selectors import home_panels
from sime.core.access import RuleRequiredMixin


class HomeView(RuleRequiredMixin, TemplateView):
    """Each role's landing page."""

    permission_required = "core.view_home"
    template_name = "analytics/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**home_panels(self.user), **kwargs)
