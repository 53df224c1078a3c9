import factory

from sime.accounts.models import User
from sime.accounts.roles import Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persona{n}@example.gt")
    full_name = factory.Faker("name", locale="es_MX")
    role = Role.ANALYST
    password = factory.django.Password("clave-de-prueba-123")
