from django.contrib.auth import views as auth_views
from django.urls import path

from sime.accounts import views

app_name = "accounts"

urlpatterns = [
    path("ingresar/", views.LoginView.as_view(), name="login"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("mi-cuenta/", views.ProfileView.as_view(), name="profile"),
    path("mi-cuenta/contrasena/", views.PasswordChangeView.as_view(), name="password-change"),
    path("recuperar/", views.PasswordResetView.as_view(), name="password-reset"),
    path("recuperar/enviado/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "recuperar/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("recuperar/listo/", views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path("usuarios/", views.UserListView.as_view(), name="user-list"),
    path("usuarios/nuevo/", views.UserCreateView.as_view(), name="user-create"),
    path("usuarios/<id:pk>/editar/", views.UserUpdateView.as_view(), name="user-update"),
]
