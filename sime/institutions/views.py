from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, RedirectView, View
from django.views.generic.detail import SingleObjectMixin

from sime.accounts.permissions import institution_scope
from sime.accounts.services import send_invitation
from sime.core.access import RuleRequiredMixin
from sime.core.downloads import stored_file_download
from sime.core.form_errors import add_service_errors
from sime.core.forms import posted_text
from sime.core.generic_views import ObjectFormView
from sime.institutions import forms, services
from sime.institutions.models import FocalPoint, Institution
from sime.institutions.selectors import (
    current_focal_points,
    editable_institutions,
    institution_detail_queryset,
    institution_list,
)


class InstitutionListView(RuleRequiredMixin, ListView):
    permission_required = "institutions.view_institution"
    template_name = "institutions/institution_list.html"
    context_object_name = "institutions"
    paginate_by = 25

    def get_queryset(self):  # type: ignore[no-untyped-def]
        self.form = forms.InstitutionFilterForm(self.request.GET or None)
        return institution_list(**self.form.selector_arguments())

    def get_template_names(self) -> list[str]:
        # htmx live search swaps only the results.
        htmx = getattr(self.request, "htmx", None)
        if htmx and not htmx.boosted:
            return ["institutions/_institution_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(form=self.form, **kwargs)


class InstitutionDetailView(RuleRequiredMixin, DetailView):
    permission_required = "institutions.view_institution"
    template_name = "institutions/institution_detail.html"
    context_object_name = "institution"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return institution_detail_queryset()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        designations = list(self.object.focal_points.all())
        return super().get_context_data(
            current_focal_points=[fp for fp in designations if fp.is_current],
            past_focal_points=[fp for fp in designations if not fp.is_current],
            **kwargs,
        )


class OwnInstitutionView(RuleRequiredMixin, RedirectView):
    permission_required = "institutions.view_own_institution"

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        institution = self.user.institution
        if institution is None:
            raise Http404
        return institution_url(institution)


def institution_url(institution: Institution) -> str:
    return reverse("institutions:institution-detail", kwargs={"pk": institution.pk})


class InstitutionCreateView(RuleRequiredMixin, FormView):
    permission_required = "institutions.add_institution"
    template_name = "institutions/institution_form.html"
    form_class = forms.InstitutionForm

    def form_valid(self, form: forms.InstitutionForm) -> HttpResponse:
        try:
            institution = services.create_institution(by=self.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Institución creada."))
        return HttpResponseRedirect(institution_url(institution))


class _InstitutionEditView(ObjectFormView):
    """Edit pages look institutions up in the user's scope: another institution is a 404."""

    context_object_name = "institution"
    service: Any = None

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return editable_institutions(self.user)

    def get_form_kwargs(self) -> dict[str, Any]:
        # A fresh copy, so the form never mutates the object the service diffs against.
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_queryset().get(pk=self.object.pk)
        return kwargs

    def form_valid(self, form: Any) -> HttpResponse:
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            type(self).service(by=self.user, institution=self.object, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Cambios guardados."))
        return HttpResponseRedirect(institution_url(self.object))


class InstitutionUpdateView(_InstitutionEditView):
    permission_required = "institutions.change_institution"
    template_name = "institutions/institution_form.html"
    form_class = forms.InstitutionForm
    service = staticmethod(services.update_institution)


class InstitutionContactUpdateView(_InstitutionEditView):
    permission_required = "institutions.change_institution_contact"
    template_name = "institutions/institution_contact_form.html"
    form_class = forms.InstitutionContactForm
    service = staticmethod(services.update_institution_contact)


class FocalPointDesignateView(_InstitutionEditView):
    permission_required = "institutions.manage_focal_points"
    template_name = "institutions/focal_point_form.html"
    form_class = forms.FocalPointDesignationForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = FormView.get_form_kwargs(self)
        kwargs["institution"] = self.object
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        role = self.request.GET.get("tipo")
        return {"role": role} if role else {}

    def form_valid(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        new_person = None
        if data["user"] is None:
            new_person = services.NewPerson(
                full_name=data["new_full_name"],
                email=data["new_email"],
                phone=data["new_phone"],
                position=data["new_position"],
            )
        # Who holds the post now: replacing her may close her account, which DEPM should be told.
        holder = next((fp for fp in current_focal_points(self.object) if fp.role == data["role"]), None)
        was_active = data["user"] is not None and data["user"].is_active
        try:
            focal_point = services.designate_focal_point(
                by=self.user,
                institution=self.object,
                role=data["role"],
                designated_on=data["designated_on"],
                user=data["user"],
                new_person=new_person,
                designation_reference=data["designation_reference"],
                designation_document=data["designation_document"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if new_person is not None:
            send_invitation(user=focal_point.user)
            messages.success(
                self.request,
                _("Enlace designado. Se envió a %(email)s un enlace para elegir su contraseña.")
                % {"email": focal_point.user.email},
            )
        elif not was_active:
            messages.success(
                self.request,
                _("Enlace designado. Se reactivó la cuenta de %(name)s: puede volver a ingresar con su contraseña.")
                % {"name": focal_point.user},
            )
        else:
            messages.success(self.request, _("Enlace designado."))
        if holder is not None and holder.user.is_active:
            holder.user.refresh_from_db(fields=["is_active"])
            if not holder.user.is_active:
                messages.info(self.request, _deactivated_message(holder.user))
        return HttpResponseRedirect(institution_url(self.object))


class FocalPointEndView(ObjectFormView):
    permission_required = "institutions.manage_focal_points"
    template_name = "institutions/focal_point_end.html"
    form_class = forms.FocalPointEndForm
    context_object_name = "focal_point"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        current = FocalPoint.objects.current().select_related("institution", "user")
        return institution_scope(self.user, current)

    def form_valid(self, form: forms.FocalPointEndForm) -> HttpResponse:
        person = self.object.user
        was_active = person.is_active
        try:
            services.end_focal_point(by=self.user, focal_point=self.object, ended_on=form.cleaned_data["ended_on"])
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("La designación terminó y quedó en el historial."))
        if was_active and not person.is_active:  # the service closed her account
            messages.info(self.request, _deactivated_message(person))
        return HttpResponseRedirect(institution_url(self.object.institution))


def _deactivated_message(person: Any) -> str:
    return str(
        _(
            "La cuenta de %(name)s quedó desactivada: no tiene otra designación vigente y ya no puede ingresar "
            "al sistema. Su historial se conserva y la cuenta se reactiva si se le designa de nuevo."
        )
        % {"name": person}
    )


class FocalPointDocumentView(RuleRequiredMixin, SingleObjectMixin, View):
    """The designation document, always as a download (never rendered inline)."""

    permission_required = "institutions.view_focal_point_document"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        scoped = institution_scope(self.user, FocalPoint.objects.all())
        return scoped.exclude(designation_document="")

    def get(self, request: Any, *args: Any, **kwargs: Any) -> FileResponse:
        focal_point = self.get_object()
        document = focal_point.designation_document
        return stored_file_download(document, filename=document.name.rsplit("/", 1)[-1])


class PlanningExemptionView(RuleRequiredMixin, SingleObjectMixin, View):
    """Administrador turns the planning visto bueno exception on or off (a POST from the detail page)."""

    permission_required = "institutions.set_planning_exemption"
    http_method_names = ["post"]
    model = Institution

    def post(self, request: Any, pk: int) -> HttpResponse:
        institution = self.get_object()
        exempt = request.POST.get("exempt") == "1"
        services.set_planning_exemption(
            by=self.user, institution=institution, exempt=exempt, reason=posted_text(request.POST, "reason")
        )
        messages.success(
            request,
            _("Excepción activada: envía sin visto bueno de planificación.")
            if exempt
            else _("Excepción retirada: se requiere el visto bueno de planificación."),
        )
        return HttpResponseRedirect(reverse("institutions:institution-detail", kwargs={"pk": pk}))
