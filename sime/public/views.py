from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.sitemaps.views import sitemap
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from sime.activities.models import Activity, Project
from sime.analytics.selectors import monitored_policy
from sime.analytics.views import HomeView
from sime.core.access import RuleRequiredMixin
from sime.core.downloads import stored_file_download
from sime.core.form_errors import add_service_errors
from sime.core.site import site_url
from sime.public import pages, selectors, services
from sime.public.forms import PublicSearchForm, UnpublishForm
from sime.public.models import Publication, PublicationKind
from sime.public.sitemaps import SITEMAPS
from sime.reporting.models import ReportingPeriod


class PortalPageMixin:
    """The canonical address of a public page: the site's address (SITE_URL) and the path, no query."""

    request: Any

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["canonical_url"] = site_url() + self.request.path
        return context


class RootView(PortalPageMixin, RuleRequiredMixin, TemplateView):
    """`/`: the public portal's home for visitors; each signed-in person's own home otherwise."""

    permission_required = "public.view_portal"
    template_name = "public/home.html"

    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return HomeView.as_view()(request)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**pages.home_page(), **kwargs)


class PublicationListView(RuleRequiredMixin, TemplateView):
    """DEPM decides here what the portal shows: each period's approved figures, and the history."""

    permission_required = "public.view_publications"
    template_name = "public/publication_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        policy = monitored_policy()
        history = Paginator(selectors.publication_history(), 25).get_page(self.request.GET.get("page"))
        events = Paginator(selectors.events_for_publication(), 25).get_page(self.request.GET.get("eventos"))
        return super().get_context_data(
            policy=policy,
            periods=selectors.periods_for_publication(policy.pk) if policy else [],
            projects=selectors.projects_for_publication(),
            events=events,
            history=history,
            page_obj=history,
            **kwargs,
        )


PUBLISHABLE = {
    PublicationKind.PERIOD: ReportingPeriod,
    PublicationKind.PROJECT: Project,
    PublicationKind.EVENT: Activity,
}


class PublishView(RuleRequiredMixin, View):
    permission_required = "public.publish"
    http_method_names = ["post"]

    def post(self, request: Any, kind: str, pk: int) -> HttpResponse:
        if kind not in PUBLISHABLE:
            return HttpResponse(status=404)
        target = get_object_or_404(PUBLISHABLE[PublicationKind(kind)], pk=pk)
        try:
            services.publish(by=self.user, target=target)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Publicado: %(object)s.") % {"object": target})
        return HttpResponseRedirect(reverse("public:publication-list"))


class UnpublishView(RuleRequiredMixin, FormView):
    permission_required = "public.publish"
    template_name = "public/unpublish_form.html"
    form_class = UnpublishForm

    @cached_property
    def publication(self) -> Publication:
        return get_object_or_404(Publication.objects.current(), pk=self.kwargs["pk"])

    def form_valid(self, form: UnpublishForm) -> HttpResponse:
        try:
            services.unpublish(by=self.user, publication=self.publication, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Publicación retirada: %(object)s.") % {"object": self.publication.target})
        return HttpResponseRedirect(reverse("public:publication-list"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(publication=self.publication, **kwargs)


class PortalPolicyView(PortalPageMixin, RuleRequiredMixin, TemplateView):
    """The policy's tree with its published progress."""

    permission_required = "public.view_portal"
    template_name = "public/policy.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**pages.policy_page(), **kwargs)


class PortalIndicatorView(PortalPageMixin, RuleRequiredMixin, TemplateView):
    """One indicator: its technical sheet and its published values over time."""

    permission_required = "public.view_portal"
    template_name = "public/indicator.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        policy = monitored_policy()
        if policy is None:
            raise Http404
        indicator = get_object_or_404(selectors.public_indicators(policy.pk), pk=self.kwargs["pk"])
        return super().get_context_data(**pages.indicator_page(indicator), **kwargs)


class SitemapView(RuleRequiredMixin, View):
    """sitemap.xml: the portal's public pages only (staff pages need a login and are not listed)."""

    permission_required = "public.view_portal"

    def get(self, request: Any) -> HttpResponse:
        return sitemap(request, sitemaps=SITEMAPS)


class RobotsView(RuleRequiredMixin, View):
    permission_required = "public.view_portal"

    def get(self, request: Any) -> HttpResponse:
        lines = [
            "User-agent: *",
            *(f"Disallow: {prefix}" for prefix in STAFF_PREFIXES),
            f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        ]
        return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# Pages behind the login: nothing for a crawler there.
STAFF_PREFIXES = (
    "/cuentas/",
    "/instituciones/",
    "/politica/",
    "/reportes/",
    "/proyectos/",
    "/monitoreo/",
    "/evaluacion/",
    "/notificaciones/",
    "/sistema/",
    "/publicacion/",
    "/admin/",
    "/api/v1/",
)


class PortalInstitutionListView(PortalPageMixin, RuleRequiredMixin, TemplateView):
    permission_required = "public.view_portal"
    template_name = "public/institution_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**pages.institutions_page(), **kwargs)


class PortalInstitutionView(PortalPageMixin, RuleRequiredMixin, TemplateView):
    """One institution's commitments in the policy and their published progress."""

    permission_required = "public.view_portal"
    template_name = "public/institution.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        policy = monitored_policy()
        if policy is None:
            raise Http404
        institution = get_object_or_404(
            selectors.public_institutions(selectors.committed_institution_ids(policy.pk)), pk=self.kwargs["pk"]
        )
        return super().get_context_data(**pages.institution_page(institution), **kwargs)


class PortalEvaluationListView(PortalPageMixin, RuleRequiredMixin, TemplateView):
    permission_required = "public.view_portal"
    template_name = "public/evaluation_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**pages.evaluations_page(), **kwargs)


class PortalEvaluationView(PortalPageMixin, RuleRequiredMixin, TemplateView):
    permission_required = "public.view_portal"
    template_name = "public/evaluation.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        evaluation = get_object_or_404(selectors.published_evaluations(), pk=self.kwargs["pk"])
        return super().get_context_data(**pages.evaluation_page(evaluation), **kwargs)


class PortalEvaluationDocumentView(RuleRequiredMixin, View):
    """A published evaluation's report, annex or terms of reference, always as an attachment."""

    permission_required = "public.view_portal"

    def get(self, request: Any, pk: int) -> FileResponse:
        document = selectors.public_document(pk)
        if document is None:
            raise Http404
        return stored_file_download(document.file, filename=document.original_name)


class PortalSearchView(PortalPageMixin, RuleRequiredMixin, TemplateView):
    """Search across the public content, accent- and case-insensitive."""

    permission_required = "public.view_portal"
    template_name = "public/search.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = PublicSearchForm(self.request.GET or None)
        text = form.cleaned_data["q"] if form.is_valid() else ""
        policy = monitored_policy()
        results = selectors.search_public(policy.pk, text) if policy and text else None
        return super().get_context_data(form=form, text=text, results=results, **kwargs)


class PortalCooperationView(PortalPageMixin, RuleRequiredMixin, TemplateView):
    """Published cooperation projects: agency, modality, dates, objective and published events."""

    permission_required = "public.view_portal"
    template_name = "public/cooperation.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**pages.cooperation_page(), **kwargs)
