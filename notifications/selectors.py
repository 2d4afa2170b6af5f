from django.db.models import Q, QuerySet

from common.models import OutboxMessage, OutboxStatus

# What the office should look at: jobs that gave up, or keep failing.
NEEDS_ATTENTION = Q(status=OutboxStatus.FAILED) | Q(status=OutboxStatus.PENDING, attempts__gt=0)


def jobs_visible_to(user) -> QuerySet[OutboxMessage]:
    """Background jobs of the programmes the user serves, and those of no programme."""
    qs = OutboxMessage.objects.all()
    if not user.all_programmes:
        qs = qs.filter(Q(programme_id=None) | user.served_programme_filter("programme_id"))
    return qs


def jobs_needing_attention(user) -> QuerySet[OutboxMessage]:
    return jobs_visible_to(user).filter(NEEDS_ATTENTION)
