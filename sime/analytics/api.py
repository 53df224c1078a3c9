"""Monitoring API: the progress of the results framework, read from approved data only.

Every figure comes from `progress.framework_progress()` (rules in docs/aggregation.md). The views
parse and bound the query, look objects up in the user's scope and turn the builder's dataclasses
into plain dicts: no serializer is instantiated per row, so a framework of hundreds of indicators ×
periods is answered in a fixed number of queries and a few milliseconds. `api_schema` describes the
answers for OpenAPI. Decimals travel as strings, as in the rest of the API.

Access: `analytics.view_monitoring` (DEPM, Autoridad, focal points; not cooperants). An
institution's own figures (`/institutions/{id}/progress/`, `?institution=`) also need
`analytics.view_institution_performance` on it; another institution is looked up in the user's
scope, so a focal point asking for it gets a 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from sime.accounts.permissions import institution_scope
from sime.analytics import api_schema as schema
from sime.analytics.aggregation import Progress, ProgressStatus
from sime.analytics.figures import (
    FrameworkProgress,
    IndicatorProgress,
    InstitutionActionReport,
    NodeProgress,
    PeriodPoint,
)
from sime.analytics.iptt import IpttRow, iptt_table
from sime.analytics.progress import framework_progress
from sime.analytics.selectors import ApprovedValue, approved_values, default_reading, monitored_policy
from sime.core.api_query import query_params
from sime.institutions.models import Institution
from sime.policy.models import Indicator, Policy, PolicyNode
from sime.reporting.models import ActionStatus, ReportingPeriod

VIEW_MONITORING = "analytics.view_monitoring"
VIEW_INSTITUTION = "analytics.view_institution_performance"
VALUE_PLACES = Decimal("0.0001")
PERCENT_PLACES = Decimal("0.01")
NOT_FOUND = "No encontrado."
PAGE_SIZE = 50  # as the other lists of the API (sime.api.pagination, which this layer may not import)
ERRORS = {
    400: OpenApiResponse(description="Parámetro no válido: {parámetro: [mensaje]}"),
    404: OpenApiResponse(description="No existe, o es de otra institución"),
}


# --- Query parameters --------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """What the figures are read at: a year and, when a period was asked for, its end."""

    year: int
    until: dt.date | None


def _reading(policy: Policy, params: dict[str, Any]) -> Reading:
    year: int | None = params.get("year")
    code = params.get("period")
    if year is not None and not policy.start_year <= year <= policy.end_year:
        raise ValidationError(
            {"year": [f"El año debe estar entre {policy.start_year} y {policy.end_year}, el horizonte de la política."]}
        )
    if not code:
        return Reading(year, None) if year is not None else Reading(*default_reading(policy))
    period = ReportingPeriod.objects.filter(policy=policy, code=code).only("year", "ends_on").first()
    if period is None:
        raise ValidationError({"period": [f"La política {policy.code} no tiene el periodo «{code}»."]})
    if year is not None and period.year != year:
        raise ValidationError({"period": [f"El periodo {code} es del año {period.year}, no de {year}."]})
    return Reading(period.year, period.ends_on)


def _institution(request: Request, pk: int | None) -> Institution | None:
    """The institution asked for, if the user may see its figures; another one's is a 404."""
    if pk is None:
        return None
    institution = institution_scope(request.user, Institution.objects.all(), field="pk").filter(pk=pk).first()
    if institution is None or not request.user.has_perm(VIEW_INSTITUTION, institution):
        raise NotFound(NOT_FOUND)
    return institution


def _policy(code: str | None) -> Policy:
    policy = Policy.objects.filter(code=code).first() if code else monitored_policy()
    if policy is None:
        raise NotFound("No existe la política." if code else "Todavía no hay una política registrada.")
    return policy


# --- Shapes: plain dicts from the builder's dataclasses ---------------------------------------


def _fixed(value: Decimal | None, places: Decimal) -> str | None:
    return None if value is None else str(value.quantize(places, rounding=ROUND_HALF_UP))


def _value(value: Decimal | None) -> str | None:
    return _fixed(value, VALUE_PLACES)


def _percent(value: Decimal | None) -> str | None:
    return _fixed(value, PERCENT_PLACES)


def _money(value: Decimal) -> str:
    return str(value.quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP))


def _ref(institution: Institution | None) -> dict[str, Any] | None:
    if institution is None:
        return None
    return {"id": institution.pk, "acronym": institution.acronym, "name": institution.name}


class Shapes:
    """Turns one request's progress into dicts; status labels are translated once, not per cell."""

    def __init__(self) -> None:
        self.labels = {status.value: str(status.label) for status in ProgressStatus}
        self.action_labels = {status.value: str(status.label) for status in ActionStatus}

    def progress(self, progress: Progress) -> dict[str, Any]:
        return {
            "actual": _value(progress.actual),
            "target": _value(progress.target),
            "expected": _value(progress.expected),
            "percent": _percent(progress.percent),
            "expected_percent": _percent(progress.expected_percent),
            "status": str(progress.status),
            "status_label": self.labels[progress.status],
        }

    @staticmethod
    def baseline(item: IndicatorProgress) -> dict[str, Any]:
        indicator = item.indicator
        return {"value": _value(indicator.baseline_value), "year": indicator.baseline_year}

    @staticmethod
    def targets(item: IndicatorProgress) -> list[dict[str, Any]]:
        return [{"year": year, "value": _value(value)} for year, value in sorted(item.targets.items())]

    @staticmethod
    def point(point: PeriodPoint) -> dict[str, Any]:
        return {
            "code": point.period.code,
            "value": _value(point.value),
            "to_date": _value(point.to_date.value) if point.to_date else None,
            "percent": _percent(point.progress.percent),
            "status": str(point.progress.status),
        }

    def indicator(self, item: IndicatorProgress) -> dict[str, Any]:
        indicator = item.indicator
        return {
            "id": indicator.pk,
            "code": indicator.code,
            "name": indicator.name,
            "unit": indicator.unit,
            "node_id": indicator.node_id,
            "measure_type": indicator.measure_type,
            "direction": indicator.direction,
            "aggregation": indicator.aggregation,
            "baseline": self.baseline(item),
            "targets": self.targets(item),
            "periods": [self.point(point) for point in item.points],
            "current": self.progress(item.progress),
            "horizon": self.progress(item.horizon_progress),
        }

    @staticmethod
    def node(item: NodeProgress) -> dict[str, Any]:
        node = item.node
        return {
            "id": node.pk,
            "code": node.code,
            "title": node.title,
            "level": node.level.depth,
            "parent_id": node.parent_id,
            "percent": _percent(item.percent),
            "weight": _percent(node.weight),
            "budget_allocated": _money(item.budget_allocated),
            "budget_executed": _money(item.budget_executed),
            "action_status": item.action_status,
            "trouble": list(item.trouble),
            "inherited_risk": [[link.code for link in chain] for chain in item.inherited_risk],
            "indicator_ids": [i.indicator.pk for i in item.indicators],
        }

    def report(self, report: InstitutionActionReport) -> dict[str, Any]:
        return {
            "institution_id": report.institution_id,
            "institution": report.institution_name,
            "period": report.period.code,
            "status": report.status,
            "status_label": self.action_labels.get(report.status, ""),
            "percent": _percent(report.percent),
            "obstacles": report.obstacles,
            "budget_allocated": _fixed(report.budget_allocated, PERCENT_PLACES),
            "budget_executed": _fixed(report.budget_executed, PERCENT_PLACES),
        }

    @staticmethod
    def rates(progress: FrameworkProgress) -> list[dict[str, Any]]:
        return [
            {
                "period": rate.period.code,
                "period_name": rate.period.name,
                "expected": rate.expected,
                "received": rate.received,
                "on_time": rate.on_time,
                "approved": rate.approved,
                "received_percent": _percent(rate.received_percent),
                "on_time_percent": _percent(rate.on_time_percent),
            }
            for rate in progress.rates
        ]

    @staticmethod
    def beneficiaries(progress: FrameworkProgress) -> dict[str, Any]:
        return {
            "total": int(progress.beneficiaries_total),
            "by_dimension": {
                dimension: {category: int(people) for category, people in sorted(categories.items())}
                for dimension, categories in sorted(progress.beneficiaries.items())
            },
        }

    @staticmethod
    def reading(progress: FrameworkProgress) -> dict[str, Any]:
        return {"year": progress.year, "until": progress.until}

    @staticmethod
    def columns(periods: Iterable[Any]) -> list[dict[str, Any]]:
        return [{"code": p.code, "name": p.name, "ends_on": p.ends_on} for p in periods]

    def iptt_row(self, row: IpttRow) -> dict[str, Any]:
        indicator = row.item.indicator
        return {
            "id": indicator.pk,
            "code": indicator.code,
            "name": indicator.name,
            "unit": indicator.unit,
            "node_id": indicator.node_id,
            "baseline": self.baseline(row.item),
            "status": str(row.item.status),
            "cells": [
                None
                if cell is None
                else {
                    "value": _value(cell.value),
                    "to_date": _value(cell.to_date.value) if cell.to_date else None,
                    "target": _value(cell.progress.target),
                    "percent": _percent(cell.progress.percent),
                    "expected_percent": _percent(cell.progress.expected_percent),
                    "status": str(cell.progress.status),
                }
                for cell in row.cells
            ],
        }


def _approved_value(row: ApprovedValue) -> dict[str, Any]:
    return {
        "institution": row.institution_acronym,
        "period": row.period_code,
        "value": _value(row.value),
        "numerator": _value(row.numerator),
        "denominator": _value(row.denominator),
        "approved_at": row.approved_at,
        "approved_by": row.approved_by,
    }


# --- Views -------------------------------------------------------------------------------------


class MonitoringView(APIView):
    permission_map = {"get": VIEW_MONITORING}


class IndicatorProgressView(MonitoringView):
    """One indicator's approved values per period against its targets, its disaggregation and the
    approved values behind them (institution, period, who approved)."""

    @extend_schema(parameters=[schema.ReadingQuery], responses={200: schema.IndicatorProgressSerializer, **ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        indicator = get_object_or_404(Indicator.objects.select_related("policy"), pk=pk)
        policy = indicator.policy
        reading = _reading(policy, query_params(request, schema.ReadingQuery))
        progress = framework_progress(
            policy,
            year=reading.year,
            until=reading.until,
            with_points=True,
            with_parts=True,
            indicator_ids=[indicator.pk],
        )
        item = progress.indicators[0]
        shapes = Shapes()
        disaggregation: dict[str, dict[str, str | None]] = {}
        for (dimension, category), value in sorted((item.year_aggregate.parts if item.year_aggregate else {}).items()):
            disaggregation.setdefault(dimension, {})[category] = _value(value)
        periods = [
            {
                "code": point.period.code,
                "name": point.period.name,
                "ends_on": point.period.ends_on,
                "value": _value(point.value),
                "to_date": _value(point.to_date.value) if point.to_date else None,
                "target": _value(point.progress.target),
                "percent_of_target": _percent(point.progress.percent),
                "expected_percent": _percent(point.progress.expected_percent),
                "status": str(point.progress.status),
                "status_label": shapes.labels[point.progress.status],
            }
            for point in item.points
        ]
        return Response(
            {
                "id": indicator.pk,
                "policy": policy.code,
                **shapes.reading(progress),
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.unit,
                "measure_type": indicator.measure_type,
                "direction": indicator.direction,
                "aggregation": indicator.aggregation,
                "frequency": indicator.frequency,
                "baseline": shapes.baseline(item),
                "targets": shapes.targets(item),
                "periods": periods,
                "current": shapes.progress(item.progress),
                "horizon": shapes.progress(item.horizon_progress),
                "disaggregation": disaggregation,
                "values": [_approved_value(row) for row in approved_values(indicator, until=progress.until)],
            }
        )


class PolicyProgressView(MonitoringView):
    """The whole results framework: every node's roll-up and every indicator with its approved
    values per period (the data of the progress pages), optionally narrowed to one institution."""

    @extend_schema(
        parameters=[schema.InstitutionReadingQuery], responses={200: schema.PolicyProgressSerializer, **ERRORS}
    )
    def get(self, request: Request, code: str) -> Response:
        policy = get_object_or_404(Policy, code=code)
        params = query_params(request, schema.InstitutionReadingQuery)
        reading = _reading(policy, params)
        institution = _institution(request, params.get("institution"))
        progress = framework_progress(
            policy,
            year=reading.year,
            until=reading.until,
            institution_id=institution.pk if institution else None,
            with_points=True,
        )
        shapes = Shapes()
        return Response(
            {
                "code": policy.code,
                "name": policy.name,
                **shapes.reading(progress),
                "institution": _ref(institution),
                "percent": _percent(progress.percent),
                "status_counts": progress.status_counts,
                "budget_allocated": _money(progress.budget_allocated),
                "budget_executed": _money(progress.budget_executed),
                "beneficiaries": shapes.beneficiaries(progress),
                "reporting_rates": shapes.rates(progress),
                "periods": shapes.columns(p for p in progress.periods if p.ends_on <= progress.until),
                "nodes": [shapes.node(item) for item in progress.nodes.values()],
                "indicators": [shapes.indicator(item) for item in progress.indicators],
            }
        )


class NodeProgressView(MonitoringView):
    """One node's roll-up, its children, its own indicators, each institution's latest approved
    report (lines of action) and the chains of inherited risk."""

    @extend_schema(
        parameters=[schema.InstitutionReadingQuery], responses={200: schema.NodeProgressSerializer, **ERRORS}
    )
    def get(self, request: Request, pk: int) -> Response:
        node = get_object_or_404(PolicyNode.objects.select_related("policy"), pk=pk)
        params = query_params(request, schema.InstitutionReadingQuery)
        reading = _reading(node.policy, params)
        institution = _institution(request, params.get("institution"))
        progress = framework_progress(
            node.policy,
            year=reading.year,
            until=reading.until,
            institution_id=institution.pk if institution else None,
            with_points=True,
        )
        item = progress.node(node.pk)
        shapes = Shapes()
        return Response(
            {
                **shapes.node(item),
                "policy": node.policy.code,
                **shapes.reading(progress),
                "level_name": item.node.level.name,
                "action_status_label": item.action_status_label,
                "children": [shapes.node(child) for child in item.children],
                "indicators": [shapes.indicator(indicator) for indicator in item.indicators],
                "reports": [shapes.report(report) for report in item.reports],
            }
        )


class InstitutionProgressView(MonitoringView):
    """An institution's performance: its lines of action (latest approved reports), its indicators
    and its reporting compliance over the periods."""

    permission_map = {"get": VIEW_INSTITUTION}
    # Judged on the institution itself, once it is found in the user's scope.
    rules_on_parent = True

    @extend_schema(
        parameters=[schema.PolicyReadingQuery], responses={200: schema.InstitutionProgressSerializer, **ERRORS}
    )
    def get(self, request: Request, pk: int) -> Response:
        if not request.user.has_perm(VIEW_MONITORING):
            self.permission_denied(request)  # cooperants see no monitoring at all: 403, not 404
        institution = get_object_or_404(institution_scope(request.user, Institution.objects.all(), field="pk"), pk=pk)
        self.check_object_permissions(request, institution)
        params = query_params(request, schema.PolicyReadingQuery)
        policy = _policy(params.get("policy"))
        reading = _reading(policy, params)
        progress = framework_progress(
            policy, year=reading.year, until=reading.until, institution_id=institution.pk, with_points=True
        )
        shapes = Shapes()
        actions = []
        for item in sorted(progress.nodes.values(), key=lambda n: (n.node.order, n.node.code)):
            action = getattr(item.node, "action", None)
            if action is None:
                continue
            if action.lead_institution_id == institution.pk:
                responsibility = "lead"
            elif institution.pk in progress.co_responsible.get(action.pk, ()):
                responsibility = "co_responsible"
            else:
                continue
            report = item.reports[0] if item.reports else None
            actions.append(
                {
                    "node_id": item.node.pk,
                    "code": item.node.code,
                    "title": item.node.title,
                    "responsibility": responsibility,
                    "report": shapes.report(report) if report else None,
                }
            )
        return Response(
            {
                "institution": _ref(institution),
                "policy": {"code": policy.code, "name": policy.name},
                **shapes.reading(progress),
                "percent": _percent(progress.percent),
                "status_counts": progress.status_counts,
                "budget_allocated": _money(progress.budget_allocated),
                "budget_executed": _money(progress.budget_executed),
                "beneficiaries": shapes.beneficiaries(progress),
                "actions": actions,
                "indicators": [shapes.indicator(item) for item in progress.indicators],
                "reporting_rates": shapes.rates(progress),
            }
        )


def _previous_link(url: str, number: int) -> str:
    return remove_query_param(url, "page") if number == 2 else replace_query_param(url, "page", number - 1)


def _subtree(item: NodeProgress) -> set[int]:
    found = {item.node.pk}
    for child in item.children:
        found |= _subtree(child)
    return found


class IpttView(MonitoringView):
    """The IPTT: indicators × the year's periods up to the reading date (value, year to date,
    target, % of target, status), paginated over indicators; filter by axis, institution, status."""

    @extend_schema(parameters=[schema.IpttQuery], responses={200: schema.IpttPageSerializer, **ERRORS})
    def get(self, request: Request) -> Response:
        params = query_params(request, schema.IpttQuery)
        policy = _policy(params.get("policy"))
        reading = _reading(policy, params)
        institution = _institution(request, params.get("institution"))
        progress = framework_progress(
            policy,
            year=reading.year,
            until=reading.until,
            institution_id=institution.pk if institution else None,
            with_points=True,
        )
        table = iptt_table(progress, year=reading.year)
        rows = list(table.rows)
        if params.get("axis") is not None:
            axis = progress.nodes.get(params["axis"])
            if axis is None or axis.node.parent_id is not None:
                raise ValidationError({"axis": [f"La política {policy.code} no tiene ese eje."]})
            nodes = _subtree(axis)
            rows = [row for row in rows if row.item.indicator.node_id in nodes]
        if params.get("status"):
            rows = [row for row in rows if row.item.status == params["status"]]
        pages = Paginator(rows, params.get("page_size", PAGE_SIZE))
        if params.get("page", 1) > pages.num_pages:
            raise NotFound("Página inválida.")
        page = pages.page(params.get("page", 1))
        url = request.build_absolute_uri()
        shapes = Shapes()
        return Response(
            {
                "policy": {"code": policy.code, "name": policy.name},
                **shapes.reading(progress),
                "institution": _ref(institution),
                "periods": shapes.columns(table.periods),
                "count": len(rows),
                "next": replace_query_param(url, "page", page.next_page_number()) if page.has_next() else None,
                "previous": _previous_link(url, page.number) if page.has_previous() else None,
                "results": [shapes.iptt_row(row) for row in page.object_list],
            }
        )
