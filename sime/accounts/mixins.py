from rules.contrib.views import PermissionRequiredMixin


class RuleRequiredMixin(PermissionRequiredMixin):
    """Every SIME-PM view names its rule in `permission_required`; denial is a 403 page.

    Object views check the rule against `get_object()`, whose queryset the view scopes
    with sime.accounts.permissions, so another institution's object is a 404 first.
    """

    raise_exception = True
