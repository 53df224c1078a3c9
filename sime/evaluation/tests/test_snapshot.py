"""The frozen snapshot: a value approved after the evaluation concluded changes "now", not "then"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sime.conftest import approve_instrument
from sime.evaluation import services, snapshot
from sime.evaluation.models import FrozenFigure
from sime.evaluation.tests.factories import conclude, fresh, make_evaluation
from sime.reporting import services as reporting
from sime.reporting.models import IndicatorValue

pytestmark = pytest.mark.django_db


def test_a_later_approval_changes_now_and_not_then(monitoring: Any) -> None:
    cast = monitoring
    evaluation = conclude(cast, make_evaluation(cast))
    evaluation = fresh(evaluation)
    assert (evaluation.snapshot_year, str(evaluation.snapshot_until)) == (2026, "2026-12-31")
    frozen = FrozenFigure.objects.get(evaluation=evaluation, indicator=cast.indicator)
    assert (frozen.actual, frozen.target, frozen.percent) == (Decimal(60), Decimal(100), Decimal(60))

    # DEPM reopens MINEX's instrument, the value is corrected to 80 and approved again.
    reporting.reopen_submission(by=cast.admin, submission=cast.submission, reason="Cifra corregida")
    item = IndicatorValue.objects.get(pk=cast.indicator_item.pk)
    reporting.save_item(by=cast.technical, item=item, values={"value": Decimal(80)}, version=item.version)
    approve_instrument(cast, cast.submission, technical=cast.technical, planning=cast.planning)

    comparison = snapshot.compare(evaluation, {cast.action_node.pk}, {cast.indicator.pk})
    figures = comparison.indicators[cast.indicator.pk]
    assert figures.then is not None and figures.now is not None
    assert (figures.then.actual, figures.then.target, figures.then.percent) == (Decimal(60), Decimal(100), Decimal(60))
    assert (figures.now.actual, figures.now.target, figures.now.percent) == (Decimal(80), Decimal(100), Decimal(80))
    assert (figures.then.status, str(figures.now.status)) == ("behind", "at_risk")
    node = comparison.nodes[cast.action_node.pk]
    assert node.then is not None and node.now is not None
    # The line of action's own progress (40 %) did not move; its worst indicator's status did.
    assert (node.then.percent, node.then.status) == (Decimal(40), "behind")
    assert (node.now.percent, str(node.now.status)) == (Decimal(40), "at_risk")
    assert comparison.year == 2026


def test_concluding_again_is_refused_so_the_snapshot_stays(monitoring: Any) -> None:
    cast = monitoring
    evaluation = conclude(cast, make_evaluation(cast))
    count = FrozenFigure.objects.filter(evaluation=evaluation).count()
    assert count == FrozenFigure.objects.count() > 0
    services.change_evaluation_status(by=cast.analyst, evaluation=evaluation, to="published")
    assert FrozenFigure.objects.filter(evaluation=evaluation).count() == count
