"""Who may see and retry the portal's background jobs (common.outbox)."""

import rules

from accounts.rules import is_office, is_supervisor

rules.add_perm("notifications.read_inbox", rules.is_authenticated)
rules.add_perm("notifications.view_jobs", is_office | is_supervisor)
rules.add_perm("notifications.retry_jobs", is_office)
