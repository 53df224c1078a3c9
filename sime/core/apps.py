from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sime.core"
    label = "core"
    verbose_name = _("Núcleo y auditoría")

    def ready(self) -> None:
        from sime.core import site  # noqa: F401  (registers the SITE_URL deployment check)
