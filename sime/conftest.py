"""Fixtures shared by the apps' tests: one person per role around two institutions."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from sime.accounts.models import User
from sime.accounts.roles import Role
from sime.accounts.tests.factories import UserFactory
from sime.institutions.models import FocalPointRole, Institution, Sector
from sime.institutions.tests.factories import FocalPointFactory, InstitutionFactory


@dataclass
class Cast:
    """`home` is the focal points' institution; `other` belongs to the outsider."""

    home: Institution
    other: Institution
    agency: Institution
    admin: User
    analyst: User
    technical: User
    planning: User
    authority: User
    cooperant: User
    outsider: User

    def by_role(self) -> dict[str, User]:
        return {
            "admin": self.admin,
            "analyst": self.analyst,
            "technical": self.technical,
            "planning": self.planning,
            "authority": self.authority,
            "cooperant": self.cooperant,
            "outsider": self.outsider,
        }


@pytest.fixture
def cast(db: None) -> Cast:
    home = InstitutionFactory(name="Ministerio de Relaciones Exteriores", acronym="MINEX")
    other = InstitutionFactory(name="Ministerio de Gobernación", acronym="MINGOB")
    agency = InstitutionFactory(
        name="Organización Internacional para las Migraciones",
        acronym="OIM",
        sector=Sector.INTERNATIONAL_COOPERATION,
        is_linked=False,
    )
    technical = FocalPointFactory(institution=home, role=FocalPointRole.TECHNICAL, user__full_name="Técnica Minex").user
    planning = FocalPointFactory(
        institution=home,
        role=FocalPointRole.PLANNING,
        user__role=Role.FOCAL_PLANNING,
        user__full_name="Planifica Minex",
    ).user
    outsider = FocalPointFactory(institution=other, role=FocalPointRole.TECHNICAL, user__full_name="Enlace Mingob").user
    return Cast(
        home=home,
        other=other,
        agency=agency,
        admin=UserFactory(role=Role.ADMIN, full_name="Admin DEPM"),
        analyst=UserFactory(role=Role.ANALYST, full_name="Analista DEPM"),
        technical=technical,
        planning=planning,
        authority=UserFactory(role=Role.AUTHORITY, full_name="Autoridad AMN"),
        cooperant=UserFactory(role=Role.COOPERANT, institution=agency, full_name="Cooperante OIM"),
        outsider=outsider,
    )
