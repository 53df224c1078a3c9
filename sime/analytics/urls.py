from django.urls import path

from sime.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
]
