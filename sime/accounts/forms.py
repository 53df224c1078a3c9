from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from sime.accounts.models import User
from sime.accounts.roles import Role
from sime.accounts.services import change_password
from sime.core.forms import CleanForm, CleanModelForm, CleanTextMixin


class LoginForm(CleanTextMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("Correo electrónico"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "Correo electrónico o contraseña incorrectos. Revise ambos campos; las mayúsculas cuentan en la contraseña."
        ),
        "inactive": _("Esta cuenta está desactivada. Consulte al Administrador del sistema."),
    }


class AuditedPasswordChangeForm(CleanTextMixin, PasswordChangeForm):
    def save(self, commit: bool = True) -> Any:
        return change_password(user=self.user, new_password=self.cleaned_data["new_password1"], reason="change")


class AuditedSetPasswordForm(CleanTextMixin, SetPasswordForm):
    def save(self, commit: bool = True) -> Any:
        return change_password(user=self.user, new_password=self.cleaned_data["new_password1"], reason="reset")


class UserFilterForm(CleanForm):
    text = forms.CharField(label=_("Buscar por nombre o correo"), required=False)
    role = forms.ChoiceField(label=_("Rol"), required=False, choices=[("", _("Todos")), *list(Role.choices)])
    institution = forms.ModelChoiceField(
        label=_("Institución"),
        required=False,
        queryset=User._meta.get_field("institution").related_model._default_manager.order_by("name"),  # type: ignore[union-attr]
        empty_label=_("Todas"),
    )


class UserForm(CleanModelForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "phone", "position", "role", "institution", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The login is the e-mail; changing it is an administrative act done in the admin.
            self.fields["email"].disabled = True
        institution_field = self.fields["institution"]
        assert isinstance(institution_field, forms.ModelChoiceField)
        institution_field.queryset = institution_field.queryset.filter(is_active=True)  # type: ignore[union-attr]
        institution_field.empty_label = _("— Sin institución —")
        self.fields["institution"].help_text = _("Obligatoria para enlaces y cooperantes.")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Ya existe un usuario con este correo electrónico."))
        return email
