"""Progress roll-up and the progress checks, as tables."""

import pytest

from zhigong.tracking import rules as r


@pytest.mark.parametrize("measures,expected", [
    ([(1, 100), (1, 0)], 50),
    ([(3, 100), (1, 0)], 75),
    ([(2, 99), (1, 100)], 99),   # rounded down: not done until all are done
    ([(1, 100), (2, 100)], 100),
    ([], 0),
    ([(0, 50)], 0),
])
def test_rolled_up_progress(measures, expected):
    assert r.rolled_up_progress(measures) == expected


@pytest.mark.parametrize("percent,previous,error", [
    (50, 40, None), (40, 40, None), (30, 40, "progress.backwards"), (101, 0, "progress.range"),
    (-1, 0, "progress.range"), ("50", 0, "progress.not_a_number"), (True, 0, "progress.not_a_number"),
])
def test_progress_error(percent, previous, error):
    assert r.progress_error(percent, previous) == error
