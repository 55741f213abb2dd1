"""add_days / count_days: counting from the day after, working vs calendar days, skipped days."""

from datetime import date, timedelta

import pytest

from rokhas.workdays.calendar import add_days, count_days

pytestmark = pytest.mark.django_db


def test_calendar_days_count_weekends_and_holidays():
    assert add_days(date(2026, 7, 29), 2, "calendar") == date(2026, 7, 31)
    assert count_days(date(2026, 7, 29), date(2026, 7, 31), "calendar") == 2


def test_working_days_across_a_holiday_week():
    # Mon 17 Aug 2026; Thu 20 and Fri 21 are holidays; next working days: 18, 19, 24, 26...
    # (25 and 26 Aug are the estimated Mawlid).
    assert add_days(date(2026, 8, 17), 3, "working") == date(2026, 8, 24)
    assert add_days(date(2026, 8, 17), 4, "working") == date(2026, 8, 27)
    assert count_days(date(2026, 8, 17), date(2026, 8, 27), "working") == 4


def test_zero_and_negative_counts():
    start = date(2026, 7, 27)  # Monday
    assert add_days(start, 0, "working") == start
    assert add_days(start, -1, "working") == date(2026, 7, 24)  # the Friday before
    assert count_days(date(2026, 7, 24), start, "working") == 1
    assert count_days(start, date(2026, 7, 24), "working") == -1
    assert count_days(start, start, "calendar") == 0


def test_add_and_count_agree():
    start = date(2026, 3, 2)
    for n in (1, 5, 10, 30, 60):
        for kind in ("working", "calendar"):
            assert count_days(start, add_days(start, n, kind), kind) == n


def test_skip_leaves_out_suspended_days():
    # Suspension from the day after 2 Jun to 10 Jun included (file back with the applicant).
    def suspended(day: date) -> bool:
        return date(2026, 6, 2) < day <= date(2026, 6, 10)

    assert add_days(date(2026, 6, 1), 3, "calendar", skip=suspended) == date(2026, 6, 12)
    assert add_days(date(2026, 6, 1), 3, "working", skip=suspended) == date(2026, 6, 12)
    assert count_days(date(2026, 6, 1), date(2026, 6, 12), "calendar", skip=suspended) == 3
    assert add_days(date(2026, 6, 1), 3, "calendar") == date(2026, 6, 4)


def test_skipping_everything_fails_instead_of_looping():
    with pytest.raises(ValueError, match="too many days skipped"):
        add_days(date(2026, 1, 1), 1, "calendar", skip=lambda day: True)


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind must be"):
        add_days(date(2026, 1, 1), 1, "business")  # type: ignore[arg-type]


def test_a_long_range_stays_fast():
    start = date(2026, 1, 1)
    end = start + timedelta(days=366 * 3)
    assert 700 < count_days(start, end, "working") < 800
