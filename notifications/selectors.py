import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from common.models import OutboxMessage, OutboxStatus

from .models import Notification

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


def recent_notifications(user, *, days: int = 30, limit: int = 8) -> list[Notification]:
    """What happened lately that concerns ``user`` (the hand-offs and events they were told
    of), newest first: the dashboard's "最近动态". One query."""
    since = timezone.now() - dt.timedelta(days=days)
    return list(
        Notification.objects.filter(recipient=user, created_at__gte=since).order_by(
            "-created_at", "-pk"
        )[:limit]
    )
