from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sime.core"
    label = "core"
    verbose_name = _("Núcleo y auditoría")

    def ready(self) -> None:
        from sime.core import site  # noqa: F401  (registers the SITE_URL deployment check)
        from sime.core.ids import IdConverter

        # Before any URLconf is imported: every app's urls.py names its ids `<id:pk>`.
        register_converter(IdConverter, "id")
