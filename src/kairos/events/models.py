import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from kairos.accounts.models import Organization


def timestamp(moment):
    """A time in a payload: ISO 8601 in UTC, to the millisecond, e.g. 2026-11-20T10:15:02.120Z."""
    return moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds")[:-6] + "Z"


class Event(models.Model):
    """Something that happened in a shop and must leave Kairos: a row of the outbox.

    Written in the transaction of the change that caused it, so a rolled-back change
    leaves no event and a committed one is never lost. The worker dispatches new events
    and numbers them as it goes (`position`): one dispatcher at a time numbers them, each
    batch after the last committed, so the numbers never leave a gap behind a reader.
    That number is the cursor of /api/v1/events.
    """

    # Written on the hot path: the only index written with the row is the partial one
    # of events still to dispatch.
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, db_index=False)
    type = models.CharField(max_length=40)
    version = models.PositiveSmallIntegerField(default=1)
    data = models.JSONField(encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=timezone.now)
    position = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["id"], name="event_undispatched",
                         condition=models.Q(position__isnull=True)),
            models.Index(fields=["organization", "position"], name="event_feed",
                         condition=models.Q(position__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["position"], name="event_position",
                                    condition=models.Q(position__isnull=False)),
        ]

    def __str__(self):
        return f"{self.type} #{self.pk}"

    @property
    def message_id(self):
        """The event's public id: the same in the events API and every webhook delivery
        of it (`webhook-id`), so a receiver can drop a duplicate."""
        return f"evt_{self.pk}"

    def envelope(self):
        """The event as integrators receive it, by webhook or from the events API."""
        return {"id": self.message_id, "type": self.type, "version": self.version,
                "created_at": timestamp(self.created_at), "data": self.data}
