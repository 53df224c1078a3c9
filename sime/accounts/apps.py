from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sime.accounts"
    label = "accounts"
    verbose_name = _("Cuentas y roles")

    def ready(self) -> None:
        # Registers the permission rules with django-rules.
        from sime.accounts import permissions  # noqa: F401
