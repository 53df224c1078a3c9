from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from sime.core.access import RuleRequiredMixin
from sime.core.form_errors import add_service_errors
from sime.core.generic_views import ObjectFormView
from sime.core.pdf import render_pdf
from sime.policy import forms, services
from sime.policy.framework_excel import export_framework
from sime.policy.framework_import import FrameworkImportError, import_framework
from sime.policy.models import Action, CausalLink, Indicator, Policy, PolicyNode
from sime.policy.selectors import (
    causal_network,
    commitments,
    count_tree,
    indicator_sheet_queryset,
    node_detail_queryset,
    policies,
    policy_detail_queryset,
    policy_tree,
)

LEVEL_COLOURS = ["#0b3d6e", "#1f7a4d", "#8a4b00", "#6b2c91", "#a51d2d"]


def node_url(node: PolicyNode) -> str:
    return reverse("policy:node-detail", kwargs={"pk": node.pk})


class PolicyListView(RuleRequiredMixin, ListView):
    permission_required = "policy.view_framework"
    template_name = "policy/policy_list.html"
    context_object_name = "policies"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return policies()


class PolicyDetailView(RuleRequiredMixin, DetailView):
    permission_required = "policy.view_framework"
    template_name = "policy/policy_detail.html"
    context_object_name = "policy"
    slug_field = "code"
    slug_url_kwarg = "code"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return policy_detail_queryset()


class _PolicyPageView(RuleRequiredMixin, TemplateView):
    """A page about one policy, looked up by its code."""

    permission_required = "policy.view_framework"

    def get_policy(self) -> Policy:
        if not hasattr(self, "_policy"):
            self._policy = get_object_or_404(Policy, code=self.kwargs["code"])
        return self._policy


class PolicyTreeView(_PolicyPageView):
    template_name = "policy/policy_tree.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        policy = self.get_policy()
        form = forms.TreeFilterForm(self.request.GET or None, policy=policy)
        tree = policy_tree(policy, **form.selector_arguments())
        return super().get_context_data(
            policy=policy, form=form, tree=tree, shown=count_tree(tree), filtering=form.is_filtering, **kwargs
        )


class CausalNetworkView(_PolicyPageView):
    template_name = "policy/causal_network.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        policy = self.get_policy()
        network = causal_network(policy)
        # Only nodes that take part in a link are drawn; the set is built once, not per node.
        linked = {link.source_id for link in network["links"]} | {link.target_id for link in network["links"]}
        graph = {
            "nodes": [
                {
                    "id": node.pk,
                    "code": node.code,
                    "label": node.code,
                    "level": node.level.depth,
                    "colour": LEVEL_COLOURS[(node.level.depth - 1) % len(LEVEL_COLOURS)],
                    "url": node_url(node),
                }
                for node in network["nodes"]
                if node.pk in linked
            ],
            "edges": [{"source": link.source_id, "target": link.target_id} for link in network["links"]],
        }
        levels = {node.level.depth: node.level for node in network["nodes"]}
        legend = [(level, LEVEL_COLOURS[(depth - 1) % len(LEVEL_COLOURS)]) for depth, level in sorted(levels.items())]
        return super().get_context_data(policy=policy, graph=graph, links=network["links"], legend=legend, **kwargs)


class NodeDetailView(RuleRequiredMixin, DetailView):
    permission_required = "policy.view_framework"
    template_name = "policy/node_detail.html"
    context_object_name = "node"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return node_detail_queryset()


class NodeCreateView(RuleRequiredMixin, FormView):
    """A new node under the node in the URL (a child of the next level)."""

    permission_required = "policy.change_framework"
    template_name = "policy/node_create.html"
    form_class = forms.NodeCreateForm

    def get_permission_object(self) -> Any:
        if not hasattr(self, "parent"):
            self.parent = get_object_or_404(PolicyNode.objects.select_related("policy", "level"), pk=self.kwargs["pk"])
        return self.parent

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(policy=self.parent.policy, parent=self.parent)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(parent=self.parent, node=self.parent, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        try:
            node = services.create_node(
                by=self.user,
                policy=self.parent.policy,
                parent=self.parent,
                code=data["code"],
                title=data["title"],
                description=data["description"],
                is_illustrative=data["is_illustrative"],
                lead_institution=data.get("lead_institution"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Nodo creado."))
        return HttpResponseRedirect(node_url(node))


class NodeUpdateView(ObjectFormView):
    permission_required = "policy.change_framework"
    template_name = "policy/node_form.html"
    form_class = forms.NodeForm
    context_object_name = "node"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return PolicyNode.objects.select_related("policy", "level")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_queryset().get(pk=self.object.pk)
        return kwargs

    def form_valid(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        try:
            services.update_node(
                by=self.user,
                node=self.object,
                alignments={name: data[name] for name in ("gcm_objectives", "sdg_targets", "katun_priorities")},
                **{name: data[name] for name in services.NODE_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Cambios guardados."))
        return HttpResponseRedirect(node_url(self.object))


class ThresholdsUpdateView(ObjectFormView):
    """The policy's monitoring thresholds (en ruta, en riesgo, tolerance for «mantener»)."""

    permission_required = "policy.change_thresholds"
    template_name = "policy/thresholds_form.html"
    form_class = forms.ThresholdsForm
    context_object_name = "policy"
    slug_field = slug_url_kwarg = "code"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Policy.objects.all()

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_queryset().get(pk=self.object.pk)
        return kwargs

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.update_monitoring_thresholds(
                by=self.user,
                policy=self.object,
                **{name: form.cleaned_data[name] for name in services.THRESHOLD_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Umbrales de monitoreo guardados."))
        return HttpResponseRedirect(reverse("policy:policy-detail", kwargs={"code": self.object.code}))


class ActionUpdateView(ObjectFormView):
    permission_required = "policy.change_framework"
    template_name = "policy/action_form.html"
    form_class = forms.ActionForm
    context_object_name = "action"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Action.objects.select_related("node__policy", "node__level", "lead_institution")

    def get_object(self, queryset: Any = None) -> Any:
        # The URL names the node (what people see); the action hangs from it.
        if queryset is None and hasattr(self, "_permission_object"):
            return self._permission_object
        return get_object_or_404(self.get_queryset(), node_id=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_queryset().get(pk=self.object.pk)
        return kwargs

    def form_valid(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        try:
            services.update_action(
                by=self.user,
                action=self.object,
                co_responsible=data["co_responsible"],
                target_populations=data["target_populations"],
                **{name: data[name] for name in services.ACTION_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Cambios guardados."))
        return HttpResponseRedirect(node_url(self.object.node))


class CausalLinkCreateView(ObjectFormView):
    permission_required = "policy.change_framework"
    template_name = "policy/causal_link_form.html"
    form_class = forms.CausalLinkForm
    context_object_name = "node"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return PolicyNode.objects.select_related("policy", "level")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["source"] = self.object
        return kwargs

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.add_causal_link(
                by=self.user,
                source=self.object,
                target=form.cleaned_data["target"],
                evidence_note=form.cleaned_data["evidence_note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Vínculo causal agregado."))
        return HttpResponseRedirect(node_url(self.object))


class CausalLinkDeleteView(RuleRequiredMixin, View):
    permission_required = "policy.change_framework"
    http_method_names = ["post"]

    def get_permission_object(self) -> Any:
        if not hasattr(self, "_link"):
            self._link = get_object_or_404(CausalLink.objects.select_related("source"), pk=self.kwargs["pk"])
        return self._link

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        link = self.get_permission_object()
        source = link.source
        services.remove_causal_link(by=self.user, link=link)
        messages.success(request, _("Vínculo causal eliminado."))
        return HttpResponseRedirect(node_url(source))


class IndicatorDetailView(RuleRequiredMixin, DetailView):
    permission_required = "policy.view_framework"
    template_name = "policy/indicator_detail.html"
    context_object_name = "indicator"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return indicator_sheet_queryset()


class _IndicatorFormView(RuleRequiredMixin, FormView):
    permission_required = "policy.change_framework"
    template_name = "policy/indicator_form.html"
    form_class = forms.IndicatorForm
    indicator: Indicator

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["policy"] = self.indicator.policy
        kwargs["instance"] = Indicator.objects.get(pk=self.indicator.pk) if self.indicator.pk else self.indicator
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(indicator=self.indicator, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        try:
            indicator = services.save_indicator(
                by=self.user,
                indicator=self.indicator,
                dimensions=data["dimensions"],
                targets=form.targets(),
                milestone_steps=data["milestone_scale"],
                **{name: data[name] for name in services.INDICATOR_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Indicador guardado."))
        return HttpResponseRedirect(indicator_url(indicator))


class IndicatorCreateView(_IndicatorFormView):
    def get_permission_object(self) -> Any:
        node = get_object_or_404(PolicyNode.objects.select_related("policy"), pk=self.kwargs["pk"])
        self.indicator = Indicator(policy=node.policy, node=node)
        return None


class IndicatorUpdateView(_IndicatorFormView):
    def get_permission_object(self) -> Any:
        self.indicator = get_object_or_404(indicator_sheet_queryset(), pk=self.kwargs["pk"])
        return self.indicator


class IndicatorPdfView(IndicatorDetailView):
    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        pdf = render_pdf("policy/indicator_sheet_pdf.html", context)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="ficha-{self.object.code}.pdf"'
        return response


class CommitmentsView(RuleRequiredMixin, TemplateView):
    """The actions and indicators of the focal point's own institution."""

    permission_required = "policy.view_own_commitments"
    template_name = "policy/commitments.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        institution = self.user.institution
        if institution is None:
            raise Http404
        return super().get_context_data(institution=institution, **commitments(institution), **kwargs)


class FrameworkExportView(_PolicyPageView):
    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        policy = self.get_policy()
        response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="marco-{policy.code}.xlsx"'
        export_framework(policy).save(response)
        return response


class FrameworkImportView(RuleRequiredMixin, FormView):
    permission_required = "policy.change_framework"
    template_name = "policy/framework_import.html"
    form_class = forms.FrameworkUploadForm

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            policy = import_framework(by=self.user, upload=form.cleaned_data["workbook"])
        except FrameworkImportError as error:
            return self.render_to_response(self.get_context_data(form=form, problems=error.errors))
        messages.success(
            self.request,
            _("Se importó la política «%(code)s» con %(count)s nodos.")
            % {"code": policy.code, "count": policy.nodes.count()},
        )
        return HttpResponseRedirect(reverse("policy:policy-detail", kwargs={"code": policy.code}))


def indicator_url(indicator: Indicator) -> str:
    return reverse("policy:indicator-detail", kwargs={"pk": indicator.pk})
