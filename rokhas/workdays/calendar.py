"""Moroccan working days: weekends, public holidays and deadline arithmetic.

Holidays come from the `holidays` package (country "MA"), which includes the Hijri holidays
(Eid al-Fitr, Eid al-Adha, Islamic New Year, Mawlid) as *estimates*, corrected by the
HolidayOverride rows an administrator enters once the Ministry announces the actual dates.

Conventions:
* a working day is Monday to Friday and not a holiday;
* counting starts the day after `start`: add_days(Fri, 1, "working") is the next Monday
  (or later, if Monday is a holiday) and count_days(start, end) counts the days d with
  start < d <= end, so count_days(s, add_days(s, n, k), k) == n;
* `skip(d)` lets the caller leave out more days (e.g. while a deadline is suspended):
  a skipped day is never counted, whatever the kind of days.

The holidays of a year are computed once and cached. Saving or deleting an override clears
the cache of this process at once; other processes (web workers, the task worker) pick the
change up within ROKHAS_HOLIDAY_CACHE_SECONDS (default 300 s).
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Literal

import holidays
from django.conf import settings
from django.utils.translation import get_language

DayKind = Literal["working", "calendar"]
Skip = Callable[[datetime.date], bool]

COUNTRY = "MA"
_ONE_DAY = datetime.timedelta(days=1)
# A `skip` that refuses every day must not loop for ever.
_MAX_EXTRA_DAYS = 366 * 20


def _cache_epoch() -> int:
    seconds = int(getattr(settings, "ROKHAS_HOLIDAY_CACHE_SECONDS", 300))
    return int(time.time() // seconds) if seconds > 0 else 0


@lru_cache(maxsize=64)
def _holiday_table(year: int, epoch: int) -> Mapping[datetime.date, tuple[str, str]]:
    """{date: (French name, Arabic name)} for one year, overrides applied."""
    from .models import HolidayOverride

    french = holidays.country_holidays(COUNTRY, years=year, language="fr")
    arabic = holidays.country_holidays(COUNTRY, years=year, language="ar")
    table = {day: (name, arabic.get(day, name)) for day, name in french.items()}
    for override in HolidayOverride.objects.filter(date__year=year):
        if override.kind == HolidayOverride.Kind.REMOVE:
            table.pop(override.date, None)
        else:
            fr = override.name_fr or override.name_ar or table.get(override.date, ("", ""))[0]
            ar = override.name_ar or override.name_fr or table.get(override.date, ("", ""))[1]
            table[override.date] = (fr, ar)
    return MappingProxyType(dict(sorted(table.items())))


def clear_holiday_cache() -> None:
    """Forget the computed holidays (called when a HolidayOverride changes)."""
    _holiday_table.cache_clear()


def _check_date(value: datetime.date, name: str) -> None:
    # A datetime is a date too, but would never be found among the holidays.
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")


def _year(day: datetime.date) -> Mapping[datetime.date, tuple[str, str]]:
    return _holiday_table(day.year, _cache_epoch())


def _pick(names: tuple[str, str], lang: str | None) -> str:
    return names[1] if (lang or get_language() or "fr").startswith("ar") else names[0]


def is_holiday(day: datetime.date) -> bool:
    _check_date(day, "day")
    return day in _year(day)


def holiday_name(day: datetime.date, lang: str | None = None) -> str | None:
    """The holiday's name in `lang` ("fr" or "ar"; the active language by default), or None."""
    _check_date(day, "day")
    names = _year(day).get(day)
    return _pick(names, lang) if names else None


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday, and not a public holiday."""
    _check_date(day, "day")
    return day.weekday() < 5 and day not in _year(day)


def holidays_between(start: datetime.date, end: datetime.date,
                     lang: str | None = None) -> list[tuple[datetime.date, str]]:
    """Holidays from `start` to `end`, both included, in date order, named in `lang`."""
    _check_date(start, "start")
    _check_date(end, "end")
    found: list[tuple[datetime.date, str]] = []
    for year in range(start.year, end.year + 1):
        found.extend((day, _pick(names, lang)) for day, names in _holiday_table(year, _cache_epoch()).items()
                     if start <= day <= end)
    return found


def _counter(kind: DayKind, skip: Skip | None) -> Callable[[datetime.date], bool]:
    if kind not in ("working", "calendar"):
        raise ValueError(f"kind must be 'working' or 'calendar', not {kind!r}")
    working = kind == "working"

    def counts(day: datetime.date) -> bool:
        if working and not is_working_day(day):
            return False
        return not (skip is not None and skip(day))

    return counts


def add_days(start: datetime.date, n: int, kind: DayKind, *, skip: Skip | None = None) -> datetime.date:
    """The day on which `n` days of `kind` have elapsed after `start` (start itself not counted).

    A negative `n` counts backwards: add_days(Monday, -1, "working") is the Friday before.
    """
    _check_date(start, "start")
    counts = _counter(kind, skip)
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    remaining, day, budget = abs(n), start, abs(n) + _MAX_EXTRA_DAYS
    while remaining:
        day += step
        budget -= 1
        if budget < 0:
            raise ValueError(f"could not count {n} {kind} days from {start}: too many days skipped")
        if counts(day):
            remaining -= 1
    return day


def count_days(start: datetime.date, end: datetime.date, kind: DayKind, skip: Skip | None = None) -> int:
    """How many days of `kind` lie after `start` up to and including `end`.

    Negative when `end` is before `start`: count_days(a, b) == -count_days(b, a).
    """
    _check_date(start, "start")
    _check_date(end, "end")
    if end < start:
        return -count_days(end, start, kind, skip)
    counts = _counter(kind, skip)
    total, day = 0, start
    while day < end:
        day += _ONE_DAY
        if counts(day):
            total += 1
    return total
