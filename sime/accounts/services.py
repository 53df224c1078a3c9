"""Writes on user accounts. Each one checks permission, validates, writes and audits."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from sime.accounts.models import User
from sime.accounts.permissions import require
from sime.core.audit import diff, record_event, snapshot
from sime.core.site import site_url

EDITABLE_FIELDS = ("full_name", "phone", "position", "role", "institution", "is_active")


@transaction.atomic
def create_user(
    *,
    by: User | None,
    email: str,
    full_name: str,
    role: str,
    institution: Any = None,
    phone: str = "",
    position: str = "",
    password: str | None = None,
) -> User:
    """Create an account. `by=None` is the system itself (demo data, commands).

    Without a password the account gets an unusable one; `send_invitation()` then lets
    the person choose theirs.
    """
    if by is not None:
        require(by, "accounts.add_user")
    user = User(
        email=User.objects.normalize_email(email).lower(),
        full_name=full_name.strip(),
        role=role,
        institution=institution,
        phone=phone,
        position=position,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    record_event(user, "user.created", by=by, changes=diff({}, snapshot(user)), institution=institution)
    return user


@transaction.atomic
def update_user(*, by: User, user: User, **fields: Any) -> User:
    require(by, "accounts.change_user", user)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if user.pk == by.pk:
        # An Administrador cannot lock themselves out (and leave nobody to undo it).
        if fields.get("is_active") is False:
            raise ValidationError({"is_active": _("No puede desactivar su propia cuenta.")})
        if fields.get("role", user.role) != user.role:
            raise ValidationError({"role": _("No puede cambiar su propio rol.")})
    before = snapshot(user)
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save()
    changes = diff(before, snapshot(user))
    if changes:
        record_event(user, "user.updated", by=by, changes=changes, institution=user.institution)
    return user


@transaction.atomic
def change_password(*, user: User, new_password: str, reason: str = "change") -> User:
    """Set a new password (own change or reset link); the password itself is never audited."""
    user.set_password(new_password)
    user.save(update_fields=["password", "updated_at"])
    record_event(
        user,
        "user.password_changed",
        by=user,
        data={"via": reason},
        institution=user.institution,
    )
    return user


def send_invitation(*, user: User) -> None:
    """E-mail a link to choose a password (the reset-link machinery, with invitation wording).

    Sent after the transaction commits, so a rolled-back account never gets mail."""
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "site_url": site_url(),
    }
    subject = " ".join(render_to_string("accounts/email/invitation_subject.txt", context).split())
    body = render_to_string("accounts/email/invitation_body.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))
