"""Selectors' shapes and query counts: the same number of queries at 1× and 10× recommendations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sime.evaluation import selectors, services
from sime.evaluation.models import Evaluation, Response
from sime.evaluation.tests.factories import action_in, conclude, make_evaluation, response_in

pytestmark = pytest.mark.django_db


def _add(cast: Any, evaluation: Evaluation, count: int) -> None:
    for number in range(count):
        services.save_recommendation(
            by=cast.analyst,
            evaluation=evaluation,
            text=f"Otra recomendación {number}.",
            priority="low",
            scope="several",
            institution_ids=[cast.home.pk, cast.other.pk],
            node_ids=[cast.action_node.pk],
        )


def _readers(cast: Any, evaluation: Evaluation) -> list[tuple[str, Callable[[], Any]]]:
    def board() -> None:
        result = selectors.followup_board()
        for row in result.institutions:
            row.percent_closed  # noqa: B018
        for recommendation, _state in result.recommendations:
            [r.institution.acronym for r in recommendation.responses.all()]
        for action in result.overdue:
            action.response.institution.acronym  # noqa: B018

    def recommendations(user: Any) -> Callable[[], None]:
        def read() -> None:
            for recommendation in selectors.recommendations_of(evaluation, user):
                [(r.institution.acronym, r.status) for r in recommendation.responses.all()]
                [n.code for n in recommendation.nodes.all()]
                [f.number for f in recommendation.findings.all()]

        return read

    def own() -> None:
        for response in selectors.own_responses(cast.technical):
            (response.recommendation.evaluation.code, response.action_count, response.closed_actions)  # noqa: B018

    return [
        ("board", board),
        ("recommendations (DEPM)", recommendations(None)),
        ("recommendations (focal point)", recommendations(cast.technical)),
        ("own responses", own),
    ]


def _count(read: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured)


def test_query_counts_do_not_grow_with_recommendations(framework: Any, django_assert_num_queries: Any) -> None:
    cast = framework
    evaluation = conclude(cast, make_evaluation(cast, institutions=[cast.home, cast.other]))
    action_in(cast, "", response=Response.objects.get(institution=cast.home))  # an overdue validated action
    small = {name: _count(read) for name, read in _readers(cast, evaluation)}
    assert small == {"board": 5, "recommendations (DEPM)": 4, "recommendations (focal point)": 4, "own responses": 1}
    _add(cast, evaluation, 9)
    for response in Response.objects.filter(institution=cast.home, status="pending"):
        response_in(cast, "validated", response=response)
    for name, read in _readers(cast, evaluation):
        with django_assert_num_queries(small[name]):
            read()


def test_a_focal_point_reads_only_its_institutions_recommendations(framework: Any) -> None:
    cast = framework
    evaluation = conclude(cast, make_evaluation(cast, institutions=[cast.home, cast.other]))
    services.save_recommendation(
        by=cast.analyst,
        evaluation=evaluation,
        text="Solo MINGOB.",
        priority="low",
        scope="one",
        institution_ids=[cast.other.pk],
    )
    mine = selectors.recommendations_of(evaluation, cast.technical)
    assert [(r.number, [x.institution.acronym for x in r.responses.all()]) for r in mine] == [(1, ["MINEX"])]
    everyone = selectors.recommendations_of(evaluation)
    assert [(r.number, [x.institution.acronym for x in r.responses.all()]) for r in everyone] == [
        (1, ["MINEX", "MINGOB"]),
        (2, ["MINGOB"]),
    ]
    assert [r.recommendation.number for r in selectors.own_responses(cast.outsider)] == [1, 2]
    assert [r.recommendation.number for r in selectors.own_responses(cast.technical)] == [1]


def test_own_responses_hide_evaluations_not_yet_concluded(framework: Any) -> None:
    make_evaluation(framework)
    assert selectors.own_responses(framework.technical) == []
    assert len(selectors.own_responses(framework.analyst)) == 1


def test_the_boards_figures(framework: Any) -> None:
    import datetime as dt

    cast = framework
    evaluation = conclude(cast, make_evaluation(cast, institutions=[cast.home, cast.other]))
    action_in(cast, "", response=Response.objects.get(institution=cast.home))
    board = selectors.followup_board(today=dt.date(2026, 12, 2))
    assert board.by_status == {"unanswered": 0, "answering": 1, "executing": 0, "closed": 0}
    rows = {row.acronym: row for row in board.institutions}
    assert (rows["MINEX"].addressed, rows["MINEX"].accepted, rows["MINEX"].with_plan) == (1, 1, 1)
    assert (rows["MINEX"].actions, rows["MINEX"].actions_closed, rows["MINEX"].overdue) == (1, 0, 1)
    assert rows["MINEX"].percent_closed is not None and str(rows["MINEX"].percent_closed) == "0.0"
    assert (rows["MINGOB"].addressed, rows["MINGOB"].actions, rows["MINGOB"].percent_closed) == (1, 0, None)
    assert [e["total"] for e in board.evaluations] == [1] and board.evaluations[0]["evaluation"] == evaluation
    assert [(a["node"].code, a["answering"]) for a in board.axes] == [("1", 1)]
