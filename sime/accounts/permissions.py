"""Who may see and do what in SIME-PM: the one place that answers it.

Views (`permission_required`), the API (`sime.api.permissions.RulePermission`), templates
(`user.has_perm`, `{% has_perm %}`) and services (`require()`) all ask `user.has_perm(name, obj)`,
which Django routes to the rules registered here (django-rules). Administradores may do
everything PRODUCT.md gives them, and every rule below says so explicitly.

Data scoping lives here too: `institution_scope()` narrows a queryset to what a user's
institution may reach, so that an object of another institution is a 404, not a 403.

A focal role counts only while a current designation backs it (`is_designated`): the services
deactivate the account of a person whose last designation ends, and a role or institution left
stale by any other means grants nothing either.
"""

from __future__ import annotations

from typing import Any, TypeVar

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet

from sime.accounts.roles import DEPM_ROLES, DESIGNATION_ROLE, FOCAL_ROLES, Role

M = TypeVar("M", bound=Model)


# --- Predicates: the vocabulary --------------------------------------------------------


def _role(user: Any) -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    return getattr(user, "role", None)


@rules.predicate
def is_signed_in(user: Any) -> bool:
    return _role(user) is not None


@rules.predicate
def is_admin(user: Any) -> bool:
    return _role(user) == Role.ADMIN


@rules.predicate
def is_depm(user: Any) -> bool:
    return _role(user) in DEPM_ROLES


# The user's current designations, read once per user object (a request's user is loaded afresh for
# each request, so this is one query per request, and only for focal roles).
_DESIGNATIONS_CACHE = "_current_designations"


def current_designations(user: Any) -> frozenset[tuple[int, str]]:
    """(institution id, designation type) of every current designation of the user."""
    cached: frozenset[tuple[int, str]] | None = getattr(user, _DESIGNATIONS_CACHE, None)
    if cached is None:
        current = user.focal_point_designations.filter(ended_on__isnull=True).order_by()  # no join to order
        rows = current.values_list("institution_id", "role")
        cached = frozenset((int(institution_id), str(kind)) for institution_id, kind in rows)
        setattr(user, _DESIGNATIONS_CACHE, cached)
    return cached


def forget_designations(user: Any) -> None:
    """Drop the cached designations of this user object (after a service changed them)."""
    if hasattr(user, _DESIGNATIONS_CACHE):
        delattr(user, _DESIGNATIONS_CACHE)


def is_designated(user: Any) -> bool:
    """A focal role backed by a current designation of its type for the user's institution."""
    kind = DESIGNATION_ROLE.get(_role(user) or "")
    institution_id = getattr(user, "institution_id", None)
    if kind is None or institution_id is None:
        return False
    return (int(institution_id), kind) in current_designations(user)


def _institution_id(user: Any) -> int | None:
    """The institution a user acts for: none for a focal role without a current designation."""
    role = _role(user)
    if role is None or (role in FOCAL_ROLES and not is_designated(user)):
        return None
    value = getattr(user, "institution_id", None)
    return int(value) if value is not None else None


@rules.predicate
def is_focal_point(user: Any) -> bool:
    return is_designated(user)


@rules.predicate
def is_authority(user: Any) -> bool:
    return _role(user) == Role.AUTHORITY


@rules.predicate
def has_institution(user: Any) -> bool:
    return _institution_id(user) is not None


@rules.predicate
def is_cooperant(user: Any) -> bool:
    return _role(user) == Role.COOPERANT


def institution_id_of(obj: Any) -> int | None:
    """The institution an object belongs to: itself for an Institution, else `institution_id`."""
    if obj is None:
        return None
    if obj._meta.label == "institutions.Institution":
        return int(obj.pk)
    value = getattr(obj, "institution_id", None)
    return int(value) if value is not None else None


@rules.predicate
def is_own_institution(user: Any, obj: Any) -> bool:
    own = _institution_id(user)
    return own is not None and own == institution_id_of(obj)


# --- Rules: who may do what ------------------------------------------------------------

# Shell pages every signed-in person has (home, own profile, password, API docs).
rules.add_perm("core.view_home", is_signed_in)
rules.add_perm("core.view_api_docs", is_signed_in)
rules.add_perm("accounts.view_own_profile", is_signed_in)

# Audit trail, user administration and the catalogues (Django admin): Administrador only.
rules.add_perm("core.view_auditevent", is_admin)
rules.add_perm("accounts.view_user", is_admin)
rules.add_perm("accounts.add_user", is_admin)
rules.add_perm("accounts.change_user", is_admin)
rules.add_perm("core.view_admin_site", is_admin)

# Institutions directory: everyone signed in reads it (names, sectors, who the focal points are).
rules.add_perm("institutions.view_institution", is_signed_in)
rules.add_perm("institutions.view_own_institution", (is_focal_point | is_cooperant) & has_institution)
rules.add_perm("institutions.add_institution", is_depm)
rules.add_perm("institutions.change_institution", is_depm)
# An institution's own focal points keep its contact data current; nobody else's.
rules.add_perm("institutions.change_institution_contact", is_depm | (is_focal_point & is_own_institution))
rules.add_perm("institutions.manage_focal_points", is_depm)
# Sending without a planning visto bueno is an exception only an Administrador grants.
rules.add_perm("institutions.set_planning_exemption", is_admin)
# Which linked institutions lack focal points: DEPM follows it up, Autoridad oversees it.
rules.add_perm("institutions.view_coverage", is_depm | is_authority)
# Focal points' e-mail and phone are personal data: DEPM and their own institution only.
rules.add_perm("institutions.view_focal_point_contact", is_depm | is_own_institution)
rules.add_perm("institutions.view_focal_point_document", is_depm | (is_focal_point & is_own_institution))

# Results framework (policy, tree, indicators, red causal): everyone signed in reads it;
# DEPM edits it; focal points have their institution's commitments page.
rules.add_perm("policy.view_framework", is_signed_in)
rules.add_perm("policy.change_framework", is_depm)
rules.add_perm("policy.view_own_commitments", is_focal_point & has_institution)
# The monitoring status thresholds change what every page says: Administrador only.
rules.add_perm("policy.change_thresholds", is_admin)


# Reporting cycle. DEPM runs the periods and reviews; Autoridad follows; an institution's focal
# points fill in, sign and send their own instrument (another institution's is a 404: the views
# look it up in institution_scope first). Whether the instrument is still editable is a workflow
# question answered by the services with a message, not a permission.
@rules.predicate
def is_technical_focal_point(user: Any) -> bool:
    return _role(user) == Role.FOCAL_TECHNICAL and is_designated(user)


@rules.predicate
def is_planning_focal_point(user: Any) -> bool:
    return _role(user) == Role.FOCAL_PLANNING and is_designated(user)


rules.add_perm("reporting.view_periods", is_depm | is_authority | (is_focal_point & has_institution))
rules.add_perm("reporting.manage_periods", is_depm)
rules.add_perm("reporting.view_submissions", is_depm | is_authority | (is_focal_point & has_institution))
rules.add_perm("reporting.view_submission", is_depm | is_authority | (is_focal_point & is_own_institution))
rules.add_perm("reporting.fill_submission", is_focal_point & is_own_institution)
rules.add_perm("reporting.sign_technical", is_technical_focal_point & is_own_institution)
rules.add_perm("reporting.sign_planning", is_planning_focal_point & is_own_institution)
rules.add_perm("reporting.send_submission", is_focal_point & is_own_institution)
rules.add_perm("reporting.review_submission", is_depm)
rules.add_perm("reporting.reopen_submission", is_admin)
rules.add_perm("reporting.view_completeness", is_depm | is_authority)
# Monitoring (figures from approved instruments only, policy-wide): DEPM, Autoridad and the focal
# points of linked institutions; cooperants follow their projects instead.
rules.add_perm("analytics.view_monitoring", is_depm | is_authority | (is_focal_point & has_institution))
rules.add_perm("analytics.view_institution_performance", is_depm | is_authority | (is_focal_point & is_own_institution))


# Cooperation projects: DEPM edits; Autoridad reads all; a Cooperante reads the projects its agency
# funds (a project's institution is its agency: see institution_scope(field="agency")).
@rules.predicate
def is_funding_agency(user: Any, project: Any) -> bool:
    own = _institution_id(user)
    return own is not None and own == getattr(project, "agency_id", None)


rules.add_perm("activities.view_project", is_depm | is_authority | (is_cooperant & is_funding_agency))
rules.add_perm("activities.view_projects", is_depm | is_authority | is_cooperant)
rules.add_perm("activities.change_project", is_depm)
# Participants' names and contacts are personal data: DEPM only.
rules.add_perm("activities.view_participants", is_depm)
rules.add_perm("activities.change_participants", is_depm)


# Evaluation and its follow-up. DEPM records evaluations, findings and recommendations and validates
# every response and closure; Autoridad reads everything; an institution's focal points answer the
# recommendations addressed to it (a response of another institution is a 404: institution_scope).
# The técnico submits the answer and plan, planificación gives the visto bueno that sends it.
rules.add_perm("evaluation.view_evaluations", is_depm | is_authority)
rules.add_perm("evaluation.manage_evaluations", is_depm)
rules.add_perm("evaluation.view_followup_board", is_depm | is_authority)
rules.add_perm("evaluation.view_own_recommendations", is_focal_point & has_institution)
rules.add_perm("evaluation.view_response", is_depm | is_authority | (is_focal_point & is_own_institution))
rules.add_perm("evaluation.fill_response", is_focal_point & is_own_institution)
rules.add_perm("evaluation.submit_response", is_technical_focal_point & is_own_institution)
rules.add_perm("evaluation.sign_off_response", is_planning_focal_point & is_own_institution)
rules.add_perm("evaluation.send_back_response", is_focal_point & is_own_institution)
rules.add_perm("evaluation.validate_response", is_depm)
rules.add_perm("evaluation.report_progress", is_focal_point & is_own_institution)
rules.add_perm("evaluation.validate_closure", is_depm)
# Listing responses (API): DEPM and Autoridad all, focal points their institution's (scoped query).
rules.add_perm("evaluation.list_responses", is_depm | is_authority | (is_focal_point & has_institution))


# The public portal: open to everyone, signed in or not; it reads only what DEPM has published.
rules.add_perm("public.view_portal", rules.always_allow)
rules.add_perm("public.view_publications", is_depm | is_authority)
rules.add_perm("public.publish", is_depm)


# In-app notifications: each person reads, opens and marks read their own only (another person's is a
# 404: the views look it up in recipient_scope first).
@rules.predicate
def is_recipient(user: Any, notification: Any) -> bool:
    return notification is not None and getattr(notification, "recipient_id", None) == getattr(user, "pk", None)


rules.add_perm("notifications.view_notifications", is_signed_in)
rules.add_perm("notifications.open_notification", is_signed_in & is_recipient)
rules.add_perm("notifications.mark_notifications_read", is_signed_in)


# --- Helpers for views, API and services -----------------------------------------------


def require(user: Any, perm: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless the user holds `perm` (on `obj`)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def institution_scope(user: Any, queryset: QuerySet[M], *, field: str = "institution") -> QuerySet[M]:
    """Rows of the user's own institution only, unless the user sees every institution.

    DEPM and Autoridad see all institutions; focal points and cooperants see their own.
    `field` is the path from the model to its institution (`"pk"` for Institution itself).
    """
    role = _role(user)
    if role is None:
        return queryset.none()
    if role in DEPM_ROLES or role == Role.AUTHORITY:
        return queryset
    own = _institution_id(user)
    if own is None:
        return queryset.none()
    lookup = "pk" if field == "pk" else f"{field}_id"
    return queryset.filter(**{lookup: own})


def recipient_scope(user: Any, queryset: QuerySet[M], *, field: str = "recipient") -> QuerySet[M]:
    """Rows addressed to the user only (their notifications), whatever their role: nobody reads another's."""
    if _role(user) is None:
        return queryset.none()
    return queryset.filter(**{f"{field}_id": user.pk})
