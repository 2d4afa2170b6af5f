"""tests/queries.py: a wrong count fails with the captured SQL, repeated statements first."""

import pytest

from programmes.models import Programme
from tests.queries import exactly

pytestmark = pytest.mark.unit


def test_exactly_passes_on_the_count(db):
    with exactly(1) as ctx:
        list(Programme.objects.all())
    assert len(ctx.captured_queries) == 1


def test_exactly_fails_with_the_sql_and_the_repeated_statements(db):
    with pytest.raises(AssertionError) as excinfo, exactly(1):
        for pk in (1, 2):
            list(Programme.objects.filter(pk=pk))
    message = str(excinfo.value)
    assert message.startswith("expected 1 queries, ran 2\nrepeated:\n2x SELECT")
    assert "\nall:\n1. SELECT" in message and "\n2. SELECT" in message
    assert '"programmes_programme"."id" = 2' in message  # the statements as run, not masked
