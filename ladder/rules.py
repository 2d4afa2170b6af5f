"""Who may nominate and follow nominations (issue 13 §2)."""

import rules

from accounts.rules import is_office, is_overseer, serves_programme

from .selectors import source_ids


@rules.predicate
def serves_a_source(user, cycle) -> bool:
    """The staff member serves a programme the cycle's programme takes nominations from."""
    return (
        cycle is not None
        and user.is_authenticated
        and any(user.serves(pk) for pk in source_ids(cycle.programme_id))
    )


# The upper programme's overseers follow every nomination into its cycle; a lower programme's
# overseers follow their own nominees. Only a lower office nominates.
rules.add_perm("ladder.view_nominations", is_overseer & (serves_programme | serves_a_source))
rules.add_perm("ladder.nominate", is_office & serves_a_source)
rules.add_perm("ladder.view_programme", is_overseer & serves_programme)
# The pages and API of nominations are for the overseers (others 403; other programmes 404).
rules.add_perm("ladder.follow_nominations", is_overseer)
rules.add_perm("ladder.change_programme", is_office & serves_programme)
