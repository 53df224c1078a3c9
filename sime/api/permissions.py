"""The API asks the same permission module as the pages (sime.accounts.permissions).

A view declares `permission_map`: the rule names per action (`list`, `retrieve`, `create`,
`update`, `partial_update`, …); object-level checks use the same rule with the object.
"""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request


def _rule_for(view: Any) -> str | None:
    action = getattr(view, "action", None) or (view.request.method or "").lower()
    return getattr(view, "permission_map", {}).get(action)


class RulePermission(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if not hasattr(view, (request.method or "").lower()):
            # No handler for this method: let DRF answer 405 rather than a misleading 403.
            return True
        rule = _rule_for(view)
        if rule is None:
            # A view that names no rule for this action refuses it: safe by default.
            return False
        # Object-level rules (e.g. contact edits) are judged again in has_object_permission.
        if getattr(view, "object_rules", False) and view.action not in ("list", "create"):
            return True
        # Views under a parent object (a project's activities) judge the rule on that parent.
        if getattr(view, "rules_on_parent", False):
            return True
        return bool(request.user.has_perm(rule))

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        rule = _rule_for(view)
        return rule is not None and bool(request.user.has_perm(rule, obj))
