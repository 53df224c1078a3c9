from django.urls import path

from sime.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="notification-list"),
    path("menu/", views.NotificationMenuView.as_view(), name="notification-menu"),
    path("marcar-leidas/", views.MarkAllReadView.as_view(), name="notification-mark-all-read"),
    path("<int:pk>/abrir/", views.NotificationOpenView.as_view(), name="notification-open"),
]
