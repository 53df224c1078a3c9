from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    is_active: bool
    children: tuple[NavItem, ...] = field(default=())


# (url name, label, rule, group): an item shows when the user holds its rule; items of a group
# share one drop-down menu.
ADMINISTRATION = _("Administración")
MONITORING = _("Monitoreo")
EVALUATION = _("Evaluación")
OWN_INSTITUTION = _("Mi institución")
NAVIGATION: list[tuple[str, Any, str, Any]] = [
    ("home", _("Inicio"), "core.view_home", None),
    ("analytics:dashboard", _("Tablero nacional"), "analytics.view_monitoring", MONITORING),
    ("analytics:iptt", _("Tabla de seguimiento (IPTT)"), "analytics.view_monitoring", MONITORING),
    ("analytics:department-map", _("Mapa por departamento"), "analytics.view_monitoring", MONITORING),
    ("analytics:alignment", _("Alineación"), "analytics.view_monitoring", MONITORING),
    ("public:publication-list", _("Publicación en el portal"), "public.view_publications", MONITORING),
    ("institutions:institution-mine", _("Datos y enlaces"), "institutions.view_own_institution", OWN_INSTITUTION),
    ("policy:policy-list", _("Política"), "policy.view_framework", None),
    ("reporting:period-list", _("Reportes"), "reporting.view_periods", None),
    ("policy:commitments", _("Mis compromisos"), "policy.view_own_commitments", OWN_INSTITUTION),
    ("activities:project-list", _("Proyectos"), "activities.view_projects", None),
    ("evaluation:plan", _("Plan de evaluaciones"), "evaluation.view_evaluations", EVALUATION),
    ("evaluation:board", _("Seguimiento de recomendaciones"), "evaluation.view_followup_board", EVALUATION),
    ("evaluation:own-recommendations", _("Recomendaciones"), "evaluation.view_own_recommendations", OWN_INSTITUTION),
    ("institutions:institution-list", _("Instituciones"), "institutions.view_institution", None),
    ("accounts:user-list", _("Usuarios"), "accounts.view_user", ADMINISTRATION),
    ("core:audit-list", _("Auditoría"), "core.view_auditevent", ADMINISTRATION),
    ("admin:index", _("Catálogos"), "core.view_admin_site", ADMINISTRATION),
    ("api:docs", _("API"), "core.view_api_docs", None),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    match = getattr(request, "resolver_match", None)
    current = f"{match.namespace}:{match.url_name}" if match else ""
    visible = [(name, label, group) for name, label, rule, group in NAVIGATION if user.has_perm(rule)]
    exact = any(name == current for name, _label, _group in visible)

    def active(name: str) -> bool:
        # The item of this page; failing that, the list of the page's section.
        same_section = current.split(":")[0] == name.split(":")[0]
        return name == current or (not exact and name.endswith("-list") and same_section)

    items: list[NavItem] = []
    groups: dict[Any, list[NavItem]] = {}
    for name, label, group in visible:
        item = NavItem(label=label, url=reverse(name), is_active=active(name))
        if group is None:
            items.append(item)
            continue
        if group not in groups:
            groups[group] = []
            items.append(NavItem(label=group, url="", is_active=False))  # placeholder, filled below
        groups[group].append(item)
    result = []
    for i in items:
        children = groups.get(i.label) if not i.url else None
        if children is None:
            result.append(i)
        elif len(children) == 1:  # a menu of one item is a link, under the menu's name
            result.append(NavItem(label=i.label, url=children[0].url, is_active=children[0].is_active))
        else:
            result.append(
                NavItem(label=i.label, url="", is_active=any(c.is_active for c in children), children=tuple(children))
            )
    return {"nav_items": result}
