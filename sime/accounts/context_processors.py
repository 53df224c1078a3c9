from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    namespace: str
    is_active: bool


# (url name, label, rule): an item shows when the user holds its rule.
NAVIGATION: list[tuple[str, Any, str]] = [
    ("analytics:home", _("Inicio"), "core.view_home"),
    ("institutions:institution-mine", _("Mi institución"), "institutions.view_own_institution"),
    ("policy:policy-list", _("Política"), "policy.view_framework"),
    ("policy:commitments", _("Mis compromisos"), "policy.view_own_commitments"),
    ("activities:project-list", _("Proyectos"), "activities.view_projects"),
    ("institutions:institution-list", _("Instituciones"), "institutions.view_institution"),
    ("accounts:user-list", _("Usuarios"), "accounts.view_user"),
    ("core:audit-list", _("Auditoría"), "core.view_auditevent"),
    ("admin:index", _("Catálogos"), "core.view_admin_site"),
    ("api:docs", _("API"), "core.view_api_docs"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    match = getattr(request, "resolver_match", None)
    current = f"{match.namespace}:{match.url_name}" if match else ""
    visible = [(name, label) for name, label, rule in NAVIGATION if user.has_perm(rule)]
    exact = any(name == current for name, _label in visible)
    items = [
        NavItem(
            label=label,
            url=reverse(name),
            namespace=name.split(":")[0],
            # The item of this page; failing that, the list of the page's section.
            is_active=name == current
            or (not exact and name.endswith("-list") and current.split(":")[0] == name.split(":")[0]),
        )
        for name, label in visible
    ]
    return {"nav_items": items}
