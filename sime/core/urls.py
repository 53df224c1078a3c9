from django.urls import path

from sime.core import views

app_name = "core"

urlpatterns = [
    path("auditoria/", views.AuditListView.as_view(), name="audit-list"),
    path("idioma/", views.switch_language, name="set-language"),
]
