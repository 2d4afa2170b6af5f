"""docs/lifecycle.md is the state machines, and every machine is complete (issue 10 §1)."""

import pytest

from award_portal.lifecycle import DOCUMENT, machines, render

pytestmark = pytest.mark.unit


def test_the_lifecycle_document_matches_the_maps():
    assert DOCUMENT.read_text(encoding="utf-8") == render(), (
        "docs/lifecycle.md is out of date: run python -m award_portal.lifecycle"
    )


@pytest.mark.parametrize("source_machine", machines(), ids=lambda pair: pair[1].name)
def test_every_status_is_reachable_from_the_initial_one(source_machine):
    _source, machine = source_machine
    reached, frontier = {machine.initial}, [machine.initial]
    while frontier:
        for target in machine.transitions[frontier.pop()]:
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(machine.statuses.values)
