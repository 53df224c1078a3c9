from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sime.api"
    label = "api"
    verbose_name = "API"
