"""The one ``today`` fixture (tests/conftest.py): which day a test runs on, and back after.

The closest ``@pytest.mark.today`` wins, else the directory's ``default_today`` (overridden
here by a class fixture, as a directory conftest overrides it), else the real present.
"""

import datetime as dt
import time

import pytest
import time_machine
from django.utils import timezone

from tests import clock

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.unit

DIRECTORY_DAY = dt.date(2031, 3, 4)
CLASS_DAY = dt.date(2032, 5, 6)
TEST_DAY = dt.date(2033, 7, 8)
MODULE_DAY = dt.date(2034, 9, 10)


def real_today() -> dt.date:
    """The real date in Shanghai, whether or not the clock has travelled."""
    real_time = time_machine.escape_hatch.time.time if clock._travels else time.time
    return dt.datetime.fromtimestamp(real_time(), clock.SHANGHAI).date()


def test_the_root_default_is_the_present_without_travel(today):
    assert clock._travels == []
    assert today == timezone.localdate() == real_today()


class TestADirectoryDefault:
    @pytest.fixture
    def default_today(self):
        return DIRECTORY_DAY

    def test_the_directory_default_applies(self, today):
        assert today == DIRECTORY_DAY
        assert timezone.localdate() == DIRECTORY_DAY
        assert timezone.localtime().hour == 10

    @pytest.mark.today(TEST_DAY)
    def test_a_marker_overrides_the_directory_default(self, today):
        assert today == TEST_DAY == timezone.localdate()


@pytest.mark.today(CLASS_DAY)
class TestAClassMarker:
    @pytest.fixture
    def default_today(self):
        return DIRECTORY_DAY

    def test_the_class_marker_overrides_the_directory_default(self, today):
        assert today == CLASS_DAY == timezone.localdate()

    @pytest.mark.today(TEST_DAY)
    def test_the_test_marker_overrides_the_class_marker(self, today):
        assert today == TEST_DAY == timezone.localdate()


@pytest.mark.today(TEST_DAY)
def test_a_marker_without_a_directory_default_travels(today):
    assert today == TEST_DAY == timezone.localdate()


def test_a_module_marker_applies_and_the_clock_is_back_after_each_test(pytester):
    """In a pytest session of its own (a fixed order, no workers): a module ``pytestmark`` sets
    the day, a test's marker overrides it, and the test after a travelling one starts in the
    present."""
    pytester.makeconftest("from tests.conftest import _clock_back, default_today, today  # noqa")
    pytester.makepyfile(
        test_inner=f"""
        import datetime

        import pytest
        from django.utils import timezone

        from tests import clock


        @pytest.mark.today(datetime.date(2000, 1, 1))
        def test_1_travels(today):
            assert today == datetime.date(2000, 1, 1) == timezone.localdate()


        def test_2_starts_in_the_present(today):
            assert clock._travels == []
            assert today == timezone.localdate() == {real_today()!r}
        """
    )
    pytester.makepyfile(
        test_module_marker=f"""
        import datetime

        import pytest
        from django.utils import timezone

        pytestmark = pytest.mark.today({MODULE_DAY!r})


        def test_module_day(today):
            assert today == {MODULE_DAY!r} == timezone.localdate()


        @pytest.mark.today({TEST_DAY!r})
        def test_test_day(today):
            assert today == {TEST_DAY!r} == timezone.localdate()
        """
    )
    pytester.makeini(
        """
        [pytest]
        markers =
            today(day): the day the test runs on
            unit: fast tests of one module
        """
    )
    result = pytester.runpytest_inprocess(
        *("-p", "no:django", "-p", "no:xdist", "-p", "no:cacheprovider", "-p", "no:playwright")
    )
    result.assert_outcomes(passed=4)
