from __future__ import annotations

from typing import Any

from django.contrib import auth
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sime.accounts.roles import DEPM_ROLES, FOCAL_ROLES, INSTITUTION_ROLES, Role
from sime.core.models import TimeStampedModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        # E-mail addresses are compared without case: "Ana@IGM.gob.gt" is the same login.
        return self.get(email__iexact=username or "")

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields["role"] = Role.ADMIN
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, TimeStampedModel):
    """A person with a login. Permissions come from `role` (see sime.accounts.permissions)."""

    email = models.EmailField(_("correo electrónico"), unique=True)
    full_name = models.CharField(_("nombre completo"), max_length=200)
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institución"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    position = models.CharField(_("cargo"), max_length=200, blank=True)
    is_active = models.BooleanField(_("activo"), default=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")
        ordering = ["full_name", "email"]
        constraints = [
            models.CheckConstraint(
                name="user_institution_required_for_role",
                condition=~Q(role__in=sorted(r.value for r in INSTITUTION_ROLES)) | Q(institution__isnull=False),
                violation_error_message=_("Los enlaces y cooperantes deben pertenecer a una institución."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        self.email = (self.email or "").strip().lower()
        if self.role in INSTITUTION_ROLES and self.institution_id is None:
            raise ValidationError({"institution": _("Los enlaces y cooperantes deben pertenecer a una institución.")})

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    # The Django admin asks this; only Administradores enter it.
    @property
    def is_staff(self) -> bool:
        return self.is_active and self.role == Role.ADMIN

    @property
    def is_depm(self) -> bool:
        return self.role in DEPM_ROLES

    @property
    def is_focal_point(self) -> bool:
        return self.role in FOCAL_ROLES

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """Asks the auth backends, i.e. the rules of sime.accounts.permissions."""
        if not self.is_active:
            return False
        return any(backend.has_perm(self, perm, obj) for backend in auth.get_backends() if hasattr(backend, "has_perm"))

    def has_perms(self, perm_list: Any, obj: Any = None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        # Only the Django admin asks this; model rights there follow CatalogueAdmin's rule.
        return self.is_staff
