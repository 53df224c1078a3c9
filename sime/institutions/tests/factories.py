import datetime as dt

import factory

from sime.accounts.roles import Role
from sime.accounts.tests.factories import UserFactory
from sime.institutions.models import Department, FocalPoint, FocalPointRole, Institution, Sector


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = "GT-01"
    name = "Guatemala"
    ine_code = "01"


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Ministerio de Prueba {n}")
    acronym = factory.Sequence(lambda n: f"MP{n}")
    sector = Sector.EXECUTIVE
    is_linked = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        # Like the services: clean() keeps the derived search key.
        institution = model_class(*args, **kwargs)
        institution.full_clean()
        institution.save()
        return institution


class FocalPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocalPoint

    institution = factory.SubFactory(InstitutionFactory)
    user = factory.SubFactory(
        UserFactory,
        role=Role.FOCAL_TECHNICAL,
        institution=factory.SelfAttribute("..institution"),
    )
    role = FocalPointRole.TECHNICAL
    designated_on = dt.date(2024, 3, 5)
