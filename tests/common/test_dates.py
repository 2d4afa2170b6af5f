"""The one date helper: leap days and window ends (RULES.md "What follows for the software")."""

import datetime as dt

import pytest

from common.dates import add_years, has_operated_years, years_after, years_before

pytestmark = pytest.mark.unit
D = dt.date


def test_add_years_leap_day_becomes_28_february():
    assert add_years(D(2024, 2, 29), 3) == D(2027, 2, 28)
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)
    assert add_years(D(2024, 2, 29), -1) == D(2023, 2, 28)


def test_add_years_ordinary_day():
    assert add_years(D(2023, 7, 15), 2) == D(2025, 7, 15)


def test_operating_years_R11_1_exactly_three_years_from_a_leap_day():
    registered = D(2020, 2, 29)
    assert has_operated_years(registered, D(2023, 2, 28), 3)
    assert not has_operated_years(registered, D(2023, 2, 27), 3)


def test_years_after_includes_the_anniversary_R6():
    window = years_after(D(2024, 1, 10), 3)
    assert window.last == D(2027, 1, 10)
    assert D(2027, 1, 10) in window
    assert D(2027, 1, 11) not in window
    assert D(2024, 1, 9) not in window


def test_years_before_lookback_R11_6():
    window = years_before(D(2026, 5, 20), 2)
    assert window.first == D(2024, 5, 20)
    assert D(2024, 5, 20) in window
    assert D(2024, 5, 19) not in window
