from typing import Any

from django.views.generic.detail import SingleObjectMixin
from django.views.generic.edit import BaseCreateView
from rules.contrib.views import PermissionRequiredMixin


class RuleRequiredMixin(PermissionRequiredMixin):
    """Every SIME-PM view names its rule in `permission_required`; denial is a 403 page.

    Object views check the rule against `get_object()`, whose queryset the view scopes
    with sime.accounts.permissions, so another institution's object is a 404 first.
    """

    raise_exception = True

    def get_permission_object(self) -> Any:
        if not isinstance(self, SingleObjectMixin) or isinstance(self, BaseCreateView):
            return None
        # The permission check and the view both ask for the object: look it up once.
        if not hasattr(self, "_permission_object"):
            self._permission_object = self.get_object()
        return self._permission_object

    def get_object(self, queryset: Any = None) -> Any:
        if queryset is None and hasattr(self, "_permission_object"):
            return self._permission_object
        return super().get_object(queryset)  # type: ignore[misc]
