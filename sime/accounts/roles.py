from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of PRODUCT.md. Anonymous visitors (Público) have no account and no role."""

    ADMIN = "admin", _("Administrador")
    ANALYST = "analyst", _("Analista DEPM")
    FOCAL_TECHNICAL = "focal_technical", _("Enlace técnico")
    FOCAL_PLANNING = "focal_planning", _("Enlace de planificación")
    AUTHORITY = "authority", _("Autoridad")
    COOPERANT = "cooperant", _("Cooperante")


DEPM_ROLES = frozenset({Role.ADMIN, Role.ANALYST})
FOCAL_ROLES = frozenset({Role.FOCAL_TECHNICAL, Role.FOCAL_PLANNING})
# Roles whose data access is bounded by their own institution.
INSTITUTION_ROLES = FOCAL_ROLES | {Role.COOPERANT}
# The type of designation (institutions.FocalPointRole code) each focal role stands for: a focal role
# grants something only while a current designation of that type, for that institution, backs it.
DESIGNATION_ROLE: dict[str, str] = {Role.FOCAL_TECHNICAL: "technical", Role.FOCAL_PLANNING: "planning"}
