from typing import TYPE_CHECKING, Any, cast

from django.views.generic.detail import SingleObjectMixin
from django.views.generic.edit import BaseCreateView
from rules.contrib.views import PermissionRequiredMixin

if TYPE_CHECKING:
    from sime.accounts.models import User


class RuleRequiredMixin(PermissionRequiredMixin):
    """Every SIME-PM view names its rule in `permission_required`; denial is a 403 page.

    The rules themselves are registered in sime.accounts.permissions; this mixin only asks.

    Object views check the rule against `get_object()`, whose queryset the view scopes
    with sime.accounts.permissions, so another institution's object is a 404 first.
    """

    raise_exception = True

    @property
    def user(self) -> "User":
        """The signed-in user (the rule has already let them in)."""
        return cast("User", self.request.user)  # type: ignore[attr-defined]

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
