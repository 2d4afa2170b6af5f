import rules

from accounts.rules import is_government, is_office, serves_programme

rules.add_perm("awards.run_publicity", is_office & serves_programme)
rules.add_perm("awards.resolve_objection", is_office & serves_programme)
rules.add_perm("awards.announce", is_government & serves_programme)
