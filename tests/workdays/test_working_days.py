"""Moroccan working days: weekends, fixed and Hijri holidays, and administrator overrides."""

from datetime import date

import pytest
from django.utils import translation

from rokhas.workdays.calendar import (
    add_days,
    holiday_name,
    holidays_between,
    is_holiday,
    is_working_day,
)
from rokhas.workdays.models import HolidayOverride

pytestmark = pytest.mark.django_db


def test_eid_al_adha_2026_estimate():
    # 10 Dhu al-Hijjah 1447, as estimated by the holidays package; the Ministry's
    # announcement may move it by a day (see the override tests below).
    assert not is_working_day(date(2026, 5, 27))  # Wednesday
    assert not is_working_day(date(2026, 5, 28))  # Thursday, second day
    assert "sacrifice" in holiday_name(date(2026, 5, 27), lang="fr").lower()
    assert holiday_name(date(2026, 5, 27), lang="ar").startswith("عيد الأضحى")
    assert is_working_day(date(2026, 5, 29))


def test_throne_day():
    assert is_holiday(date(2026, 7, 30))
    assert not is_working_day(date(2026, 7, 30))  # a Thursday
    assert holiday_name(date(2026, 7, 30), lang="fr") == "Fête du Trône"
    assert add_days(date(2026, 7, 29), 1, "working") == date(2026, 7, 31)


def test_independence_day():
    assert not is_working_day(date(2026, 11, 18))  # a Wednesday
    assert holiday_name(date(2025, 11, 18), lang="fr") == "Fête de l'indépendance"
    with translation.override("ar"):
        assert holiday_name(date(2026, 11, 18)) == "عيد الاستقلال"


def test_weekends_are_not_working_days():
    assert is_working_day(date(2026, 7, 24))  # Friday
    assert not is_working_day(date(2026, 7, 25))  # Saturday
    assert not is_working_day(date(2026, 7, 26))  # Sunday
    assert add_days(date(2026, 7, 24), 1, "working") == date(2026, 7, 27)
    assert add_days(date(2026, 7, 25), 1, "working") == date(2026, 7, 27)  # counted from Monday
    assert is_holiday(date(2026, 7, 25)) is False


def test_holidays_between_is_inclusive_and_ordered():
    found = holidays_between(date(2026, 7, 30), date(2026, 8, 21), lang="fr")
    assert [day for day, _ in found] == [date(2026, 7, 30), date(2026, 8, 14), date(2026, 8, 20),
                                         date(2026, 8, 21)]
    assert found[0][1] == "Fête du Trône"
    across_years = holidays_between(date(2025, 12, 31), date(2026, 1, 11))
    assert [day for day, _ in across_years] == [date(2026, 1, 1), date(2026, 1, 11)]


def test_override_adds_a_holiday():
    day = date(2026, 5, 29)  # Friday after the estimated Eid al-Adha
    assert is_working_day(day)

    HolidayOverride.objects.create(date=day, kind=HolidayOverride.Kind.ADD,
                                   name_fr="Aïd Al Adha (2e jour, annoncé)", name_ar="عيد الأضحى")

    assert not is_working_day(day)
    assert holiday_name(day, lang="fr") == "Aïd Al Adha (2e jour, annoncé)"
    assert add_days(date(2026, 5, 26), 1, "working") == date(2026, 6, 1)


def test_override_removes_an_estimated_holiday_and_deleting_restores_it():
    day = date(2026, 5, 27)
    override = HolidayOverride.objects.create(date=day, kind=HolidayOverride.Kind.REMOVE,
                                              note="Eid announced for 28-29 May")
    assert is_working_day(day)
    assert day not in [d for d, _ in holidays_between(date(2026, 5, 1), date(2026, 5, 31))]

    override.delete()

    assert not is_working_day(day)


def test_override_changes_through_querysets_take_effect():
    day = date(2026, 6, 1)  # a Monday
    HolidayOverride.objects.bulk_create([HolidayOverride(date=day, name_fr="Jour férié exceptionnel")])
    assert not is_working_day(day)

    HolidayOverride.objects.filter(date=day).update(kind=HolidayOverride.Kind.REMOVE)
    assert is_working_day(day)

    HolidayOverride.objects.filter(date=day).update(kind=HolidayOverride.Kind.ADD)
    assert not is_working_day(day)
    HolidayOverride.objects.all().delete()  # what the admin's "delete selected" does
    assert is_working_day(day)


def test_override_edit_through_save_takes_effect():
    override = HolidayOverride.objects.create(date=date(2026, 6, 2), name_fr="Exceptionnel")
    assert not is_working_day(date(2026, 6, 2))

    override.kind = HolidayOverride.Kind.REMOVE
    override.save()

    assert is_working_day(date(2026, 6, 2))


def test_dates_must_be_dates():
    from datetime import datetime

    with pytest.raises(TypeError):
        is_working_day(datetime(2026, 7, 30, 10, 0))


def test_an_added_holiday_needs_a_name():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        HolidayOverride(date=date(2026, 6, 3), kind=HolidayOverride.Kind.ADD).full_clean()
    HolidayOverride(date=date(2026, 6, 3), kind=HolidayOverride.Kind.REMOVE).full_clean()
