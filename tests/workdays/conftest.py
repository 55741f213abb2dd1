import pytest

from rokhas.workdays.calendar import clear_holiday_cache


@pytest.fixture(autouse=True)
def fresh_holiday_cache():
    """The holiday cache lives in the process; a test's overrides are rolled back, so
    forget what was computed before and after each test."""
    clear_holiday_cache()
    yield
    clear_holiday_cache()
