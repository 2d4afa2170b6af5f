"""The outbox's rows."""

from __future__ import annotations

import factory

from common.models import OutboxMessage


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    """A pending outbox message for a task that takes no arguments."""

    class Meta:
        model = OutboxMessage

    task = "notifications.send_emails"
    kwargs = factory.LazyFunction(dict)
