"""The demo's figures stay what they were: report cards, metrics and row counts against a frozen JSON file."""

import os

import pytest

from tests import demo_figures

pytestmark = pytest.mark.django_db


def test_demo_figures_are_the_frozen_ones(demo):
    figures = demo_figures.collect()
    if os.environ.get("DEMO_FIGURES_WRITE"):
        demo_figures.write(figures)
    expected = demo_figures.frozen()
    assert figures["rows"] == expected["rows"]
    for kind in ("programs", "organizations"):
        assert sorted(figures[kind]) == sorted(expected[kind])
        for slug, periods in expected[kind].items():
            for period, values in periods.items():
                assert figures[kind][slug][period] == values, (kind, slug, period)
    assert figures == expected
