import rules

from accounts.rules import is_office, is_staff_member, reads_programme, serves_programme

rules.add_perm("programmes.create_programme", is_office)
rules.add_perm("programmes.create_cycle", is_office & serves_programme)
rules.add_perm("programmes.read_cycles", is_staff_member)
rules.add_perm("programmes.view_cycle_details", is_staff_member & reads_programme)
