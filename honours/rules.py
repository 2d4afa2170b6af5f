import rules

from accounts.rules import is_committee, is_government, is_office, is_supervisor, serves_programme

# Reading an organisation's honours follows its record ("organisations.view_organisation_record":
# its own users and the overseeing staff; others get 404). The office enters honours and the
# rewards of art. 13 (the reward only for a programme it serves, honours.services).
rules.add_perm("honours.record_honour", is_office)
rules.add_perm("honours.reward_honour", is_office)
# The overview index (and the menu's link to it): the staff who may read some programme's overview.
rules.add_perm("honours.open_overview", is_office | is_committee | is_government | is_supervisor)
# The jurisdiction's overview of a city, league or province programme: its staff who read
# everything of it (R22: the supervisor reads, changes nothing).
rules.add_perm(
    "honours.view_overview",
    (is_office | is_committee | is_government | is_supervisor) & serves_programme,
)
