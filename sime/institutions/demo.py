"""Demo data: departments, the institutions directory and one user per role.

Every loader is idempotent: it creates what is missing and leaves existing rows alone, so a
second run changes nothing (and writes no audit event).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from sime.accounts.models import User
from sime.accounts.roles import Role
from sime.accounts.services import create_user
from sime.institutions.models import Department, FocalPoint, FocalPointRole, Institution, Sector
from sime.institutions.services import create_institution, designate_focal_point

DATA = Path(__file__).resolve().parent / "demo_data"

# Demo assumption (see demo_data/README.md): state bodies are linked to the policy.
LINKED_SECTORS = {
    Sector.EXECUTIVE,
    Sector.DECENTRALIZED,
    Sector.AUTONOMOUS,
    Sector.JUDICIAL,
    Sector.CONTROL_BODY,
}


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    role: Role
    institution: str | None
    position: str
    focal_point: FocalPointRole | None = None


DEMO_USERS = [
    DemoUser("administrador@demo.sime.gt", "Ana Administradora", Role.ADMIN, "IGM", "Administradora del sistema, DEPM"),
    DemoUser("analista@demo.sime.gt", "Luis Analista", Role.ANALYST, "IGM", "Analista, DEPM"),
    DemoUser(
        "enlace.tecnico@demo.sime.gt",
        "María Enlace Técnico",
        Role.FOCAL_TECHNICAL,
        "MINEX",
        "Dirección de Asuntos Consulares",
        FocalPointRole.TECHNICAL,
    ),
    DemoUser(
        "enlace.planificacion@demo.sime.gt",
        "Jorge Enlace Planificación",
        Role.FOCAL_PLANNING,
        "MINEX",
        "Dirección de Planificación",
        FocalPointRole.PLANNING,
    ),
    DemoUser("autoridad@demo.sime.gt", "Carmen Autoridad", Role.AUTHORITY, "AMN", "Miembro de la AMN"),
    DemoUser("cooperante@demo.sime.gt", "Peter Cooperante", Role.COOPERANT, "OIM", "Oficial de programas, OIM"),
    DemoUser(
        "enlace.mingob@demo.sime.gt",
        "Rosa Enlace Mingob",
        Role.FOCAL_TECHNICAL,
        "MINGOB",
        "Unidad de Planificación",
        FocalPointRole.TECHNICAL,
    ),
]

DEMO_DESIGNATION_DATE = dt.date(2024, 3, 5)  # the day the policy's implementation was launched


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_departments() -> int:
    created = 0
    for row in _rows("departments.csv"):
        _, was_created = Department.objects.get_or_create(
            code=row["iso_3166_2"], defaults={"name": row["name_es"], "ine_code": row["ine_code"]}
        )
        created += was_created
    return created


def load_institutions() -> int:
    existing = {acronym.upper() for acronym in Institution.objects.values_list("acronym", flat=True)}
    created = 0
    for row in _rows("institutions.csv"):
        if row["acronym"].upper() in existing:
            continue
        create_institution(
            by=None,
            name=row["name_es"],
            acronym=row["acronym"],
            sector=row["sector_code"],
            is_linked=row["sector_code"] in LINKED_SECTORS,
            is_role_confirmed=row["confirmed_role"] == "yes",
            source=f"{row['sector_es']}. {row['source']}".strip(),
        )
        created += 1
    return created


def load_users(password: str) -> list[DemoUser]:
    """The demo accounts (known password: for demonstration machines only)."""
    institutions = {i.acronym: i for i in Institution.objects.filter(acronym__in={u.institution for u in DEMO_USERS})}
    created: list[DemoUser] = []
    for demo in DEMO_USERS:
        institution = institutions.get(demo.institution) if demo.institution else None
        user = User.objects.filter(email__iexact=demo.email).first()
        if user is None:
            user = create_user(
                by=None,
                email=demo.email,
                full_name=demo.full_name,
                role=demo.role,
                institution=institution,
                position=demo.position,
                password=password,
            )
            created.append(demo)
        if demo.focal_point and institution is not None:
            has_current = FocalPoint.objects.current().filter(institution=institution, role=demo.focal_point).exists()
            if not has_current:
                designate_focal_point(
                    by=None,
                    institution=institution,
                    role=demo.focal_point,
                    user=user,
                    designated_on=DEMO_DESIGNATION_DATE,
                    designation_reference="Oficio de demostración",
                )
    return created


@transaction.atomic
def load_demo(*, with_users: bool, password: str) -> dict[str, int]:
    result = {"departments": load_departments(), "institutions": load_institutions()}
    result["users"] = len(load_users(password)) if with_users else 0
    return result
