from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import CreateView, ListView, TemplateView, UpdateView

from sime.accounts import forms, services
from sime.accounts.models import User
from sime.accounts.selectors import user_list
from sime.core.access import RuleRequiredMixin
from sime.core.form_errors import add_service_errors


class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(RuleRequiredMixin, auth_views.PasswordChangeView):
    permission_required = "accounts.view_own_profile"
    form_class = forms.AuditedPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Su contraseña fue cambiada."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.AuditedSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class ProfileView(RuleRequiredMixin, TemplateView):
    permission_required = "accounts.view_own_profile"
    template_name = "accounts/profile.html"


class UserListView(RuleRequiredMixin, ListView):
    permission_required = "accounts.view_user"
    template_name = "accounts/user_list.html"
    context_object_name = "users"
    paginate_by = 50

    def get_queryset(self):  # type: ignore[no-untyped-def]
        self.form = forms.UserFilterForm(self.request.GET or None)
        data = self.form.cleaned_data if self.form.is_valid() else {}
        institution = data.get("institution")
        return user_list(
            text=data.get("text", ""), role=data.get("role", ""), institution_id=institution.pk if institution else None
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(form=self.form, **kwargs)


class UserCreateView(RuleRequiredMixin, CreateView):
    permission_required = "accounts.add_user"
    form_class = forms.UserForm
    template_name = "accounts/user_form.html"

    def form_valid(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        user = services.create_user(
            by=self.user,
            email=data["email"],
            full_name=data["full_name"],
            role=data["role"],
            institution=data["institution"],
            phone=data["phone"],
            position=data["position"],
        )
        services.send_invitation(user=user)
        messages.success(
            self.request,
            _("Usuario creado. Se envió a %(email)s un enlace para elegir su contraseña.") % {"email": user.email},
        )
        return HttpResponseRedirect(reverse("accounts:user-list"))


class UserUpdateView(RuleRequiredMixin, UpdateView):
    permission_required = "accounts.change_user"
    form_class = forms.UserForm
    template_name = "accounts/user_form.html"
    model = User
    # Not "user": that name is the signed-in person in every template.
    context_object_name = "account"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return User.objects.select_related("institution")

    def form_valid(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        # The form already applied the values to the instance; reload so the service sees "before".
        user = User.objects.get(pk=self.object.pk)
        try:
            services.update_user(
                by=self.user,
                user=user,
                **{name: data[name] for name in services.EDITABLE_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Cambios guardados."))
        return HttpResponseRedirect(reverse("accounts:user-list"))
