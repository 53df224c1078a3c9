"""Writes on the institutions directory: permission → validate → write → audit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from sime.accounts.models import User
from sime.accounts.permissions import forget_designations, require
from sime.accounts.roles import DESIGNATION_ROLE, FOCAL_ROLES
from sime.accounts.services import create_user
from sime.core.audit import diff, record_event, snapshot
from sime.core.uploads import validate_document
from sime.institutions.models import FocalPoint, FocalPointRole, Institution

# The account role each type of designation gives (the inverse of accounts.roles.DESIGNATION_ROLE).
USER_ROLE_FOR = {FocalPointRole(kind): role for role, kind in DESIGNATION_ROLE.items()}
# What a designation changes on the person's account.
ACCOUNT_FIELDS = ["role", "institution", "is_active"]


def _apply(institution: Institution, fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(institution, name, value)


@transaction.atomic
def create_institution(*, by: User | None, **fields: Any) -> Institution:
    if by is not None:
        require(by, "institutions.add_institution")
    institution = Institution()
    _apply(institution, fields, Institution.EDITABLE_FIELDS)
    institution.full_clean()
    institution.save()
    record_event(
        institution,
        "institution.created",
        by=by,
        changes=diff({}, snapshot(institution)),
        institution=institution,
    )
    return institution


@transaction.atomic
def update_institution(*, by: User | None, institution: Institution, **fields: Any) -> Institution:
    if by is not None:
        require(by, "institutions.change_institution", institution)
    return _save_changes(by=by, institution=institution, fields=fields, allowed=Institution.EDITABLE_FIELDS)


@transaction.atomic
def update_institution_contact(*, by: User, institution: Institution, **fields: Any) -> Institution:
    """Contact data only: what an institution's own focal points may keep current."""
    require(by, "institutions.change_institution_contact", institution)
    return _save_changes(by=by, institution=institution, fields=fields, allowed=Institution.CONTACT_FIELDS)


@transaction.atomic
def set_planning_exemption(*, by: User, institution: Institution, exempt: bool, reason: str = "") -> Institution:
    """Administrador's exception: this institution sends its instruments without a planning visto bueno."""
    require(by, "institutions.set_planning_exemption", institution)
    before = snapshot(institution, ["planning_signoff_exempt"])
    institution.planning_signoff_exempt = exempt
    institution.save(update_fields=["planning_signoff_exempt"])
    changes = diff(before, snapshot(institution, ["planning_signoff_exempt"]))
    if changes:
        record_event(
            institution,
            "institution.planning_exemption",
            by=by,
            changes=changes,
            institution=institution,
            data={"reason": reason.strip()},
        )
    return institution


def _save_changes(
    *, by: User | None, institution: Institution, fields: dict[str, Any], allowed: tuple[str, ...]
) -> Institution:
    before = snapshot(institution)
    _apply(institution, fields, allowed)
    institution.full_clean()
    institution.save()
    changes = diff(before, snapshot(institution))
    if changes:
        record_event(institution, "institution.updated", by=by, changes=changes, institution=institution)
    return institution


@dataclass(frozen=True)
class NewPerson:
    """A focal point who has no account yet."""

    full_name: str
    email: str
    phone: str = ""
    position: str = ""


def _check_person(user: User, institution: Institution, role: str) -> None:
    # A former focal point's account was deactivated when her last designation ended: designating
    # her again reactivates it. Any other deactivated account stays closed.
    if not user.is_active and user.role not in FOCAL_ROLES:
        raise ValidationError({"user": _("La cuenta de esta persona está desactivada.")})
    if user.role and user.role not in FOCAL_ROLES:
        raise ValidationError(
            {
                "user": _("Esta persona tiene el rol «%(role)s» y no puede ser enlace.")
                % {"role": user.get_role_display()}
            }
        )
    if user.institution_id not in (None, institution.pk):
        raise ValidationError({"user": _("Esta persona pertenece a otra institución.")})
    other_role = FocalPoint.objects.current().filter(institution=institution, user=user).exclude(role=role)
    if other_role.exists():
        raise ValidationError(
            {"user": _("Esta persona ya es enlace vigente de la institución con otro tipo de enlace.")}
        )


@transaction.atomic
def designate_focal_point(
    *,
    by: User | None,
    institution: Institution,
    role: str,
    designated_on: dt.date,
    user: User | None = None,
    new_person: NewPerson | None = None,
    designation_reference: str = "",
    designation_document: UploadedFile | None = None,
) -> FocalPoint:
    """Designate an enlace. The current one of the same type ends the day the new one starts,
    so the history says who was focal point when (and loses the role: see `_end`). A new person
    gets an account (without a password: the caller sends the invitation); a former focal point
    whose account was deactivated gets it back."""
    if by is not None:
        require(by, "institutions.manage_focal_points", institution)
    if (user is None) == (new_person is None):
        raise ValidationError(_("Elija una persona existente o registre una nueva, no ambas."))
    if designation_document is not None:
        try:
            validate_document(designation_document)
        except ValidationError as error:
            raise ValidationError({"designation_document": error.messages}) from error

    if new_person is not None:
        user = create_user(
            by=None,
            email=new_person.email,
            full_name=new_person.full_name,
            phone=new_person.phone,
            position=new_person.position,
            role=USER_ROLE_FOR[FocalPointRole(role)],
            institution=institution,
        )
        record_event(user, "user.created_as_focal_point", by=by, institution=institution)
    assert user is not None
    _check_person(user, institution, role)

    previous = FocalPoint.objects.current().select_for_update().filter(institution=institution, role=role).first()
    if previous is not None:
        if previous.user_id == user.pk:
            raise ValidationError({"user": _("Esta persona ya es el enlace vigente de este tipo.")})
        if designated_on < previous.designated_on:
            raise ValidationError(
                {
                    "designated_on": _("La nueva designación no puede ser anterior a la del enlace vigente (%(date)s).")
                    % {"date": previous.designated_on.strftime("%d/%m/%Y")}
                }
            )
        _end(by=by, focal_point=previous, ended_on=designated_on, reason="replaced")

    focal_point = FocalPoint(
        institution=institution,
        user=user,
        role=role,
        designated_on=designated_on,
        designation_reference=designation_reference.strip(),
    )
    if designation_document is not None:
        focal_point.designation_document = designation_document
    focal_point.full_clean()
    focal_point.save()

    before = snapshot(user, ACCOUNT_FIELDS)
    user.institution = institution
    user.role = USER_ROLE_FOR[FocalPointRole(role)]
    user.is_active = True
    user.save(update_fields=["institution", "role", "is_active", "updated_at"])
    forget_designations(user)
    user_changes = diff(before, snapshot(user, ACCOUNT_FIELDS))
    if "is_active" in user_changes:
        record_event(
            user,
            "user.reactivated",
            by=by,
            changes=user_changes,
            data={"reason": "focal_point_designated"},
            institution=institution,
        )
    elif user_changes:
        record_event(user, "user.updated", by=by, changes=user_changes, institution=institution)

    record_event(
        focal_point,
        "focal_point.designated",
        by=by,
        changes=diff({}, snapshot(focal_point)),
        data={"replaces": previous.pk} if previous else None,
        institution=institution,
    )
    return focal_point


@transaction.atomic
def end_focal_point(*, by: User, focal_point: FocalPoint, ended_on: dt.date) -> FocalPoint:
    """End a designation by DEPM's decision. The person loses the role with it (see `_end`):
    `focal_point.user.is_active` then says whether her account was deactivated."""
    require(by, "institutions.manage_focal_points", focal_point.institution)
    if not focal_point.is_current:
        raise ValidationError(_("Esta designación ya había finalizado."))
    return _end(by=by, focal_point=focal_point, ended_on=ended_on, reason="ended")


def _end(*, by: User | None, focal_point: FocalPoint, ended_on: dt.date, reason: str) -> FocalPoint:
    before = snapshot(focal_point)
    focal_point.ended_on = ended_on
    focal_point.full_clean()
    focal_point.save(update_fields=["ended_on", "updated_at"])
    record_event(
        focal_point,
        "focal_point.ended",
        by=by,
        changes=diff(before, snapshot(focal_point)),
        data={"reason": reason},
        institution=focal_point.institution,
    )
    _follow_designations(by=by, user=focal_point.user, ended=focal_point, reason=reason)
    return focal_point


def _follow_designations(*, by: User | None, user: User, ended: FocalPoint, reason: str) -> None:
    """After a designation ends, the account follows the person's designations: a person with no
    current one has her account deactivated (she can no longer sign in; her history and audit trail
    stay); one who still holds another takes that one's role and institution."""
    remaining = (
        FocalPoint.objects.current()
        .filter(user=user)
        .exclude(pk=ended.pk)
        .select_related("institution")
        .order_by("-designated_on", "-pk")
        .first()
    )
    before = snapshot(user, ACCOUNT_FIELDS)
    data = {"reason": f"focal_point_{reason}", "focal_point": ended.pk}
    if remaining is None:
        if not user.is_active:  # already closed (by an Administrador): nothing changes
            return
        user.is_active = False
        user.save(update_fields=["is_active", "updated_at"])
        forget_designations(user)
        record_event(
            user,
            "user.deactivated",
            by=by,
            changes=diff(before, snapshot(user, ACCOUNT_FIELDS)),
            data=data,
            institution=ended.institution,
        )
        return
    user.role = USER_ROLE_FOR[FocalPointRole(remaining.role)]
    user.institution = remaining.institution
    user.save(update_fields=["role", "institution", "updated_at"])
    forget_designations(user)
    changes = diff(before, snapshot(user, ACCOUNT_FIELDS))
    if changes:
        record_event(
            user,
            "user.updated",
            by=by,
            changes=changes,
            data={**data, "follows": remaining.pk},
            institution=remaining.institution,
        )
