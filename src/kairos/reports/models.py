"""The daily rollup of responses: exact counts per shop day, so reports over long periods
sum a few rows a day instead of reading every response (see reports/rollup.py)."""

from django.db import models

from kairos.accounts.models import Organization


class DailyResponses(models.Model):
    """The counts of one shop's responses of one day (in the shop's time zone), stage and
    store: the additive figures of rollup.COUNTS. Written only for sealed days."""

    # Keyed by the shop first, like every large table: a shop's rows stay together
    # (and one shop per shard stays possible).
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, db_index=False,
                                     related_name="+")
    day = models.DateField()
    stage = models.CharField(max_length=20)
    store_id = models.CharField(max_length=100)  # "" for responses without a store
    responses = models.IntegerField()
    promoters = models.IntegerField()
    passives = models.IntegerField()
    detractors = models.IntegerField()
    rated = models.IntegerField()
    rating_sum = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["organization", "day", "stage", "store_id"], name="daily_responses_key")]

    def __str__(self):
        return f"{self.day} {self.stage} {self.store_id}: {self.responses}"


class RollupWatermark(models.Model):
    """How far a shop's rollup reaches: every day before `sealed_until` is in it, counted
    in `time_zone` (a shop that changes its zone has no valid rollup until resealed).
    Its row is the lock that sealing and resealing take (select_for_update)."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE,
                                        primary_key=True, related_name="+")
    time_zone = models.CharField(max_length=64)
    sealed_until = models.DateField(null=True)  # None: nothing sealed yet

    def __str__(self):
        return f"sealed until {self.sealed_until} ({self.time_zone})"


class CallbackFact(models.Model):
    """What closing the loop's outcomes ask of a callback request (closing_the_loop.py),
    as of the last time the facts were kept (loop_facts.py): Home and the callbacks report
    count these instead of looking every contacted customer up again."""

    callback = models.OneToOneField("callbacks.CallbackRequest", on_delete=models.CASCADE,
                                    primary_key=True, related_name="fact")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, db_index=False,
                                     related_name="+")
    next_nps = models.SmallIntegerField(null=True)  # of the customer's next scored response
    reordered_within = models.SmallIntegerField(null=True)  # the shortest of REORDER_DAYS

    class Meta:
        indexes = [models.Index(fields=["organization", "callback"], name="callback_fact_shop")]

    def __str__(self):
        return f"facts of callback request {self.callback_id}"


class CallbackFactsKept(models.Model):
    """When a shop's callback facts were last kept: the outcomes they give are as of then."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE,
                                        primary_key=True, related_name="+")
    kept_at = models.DateTimeField()

    def __str__(self):
        return f"callback facts of shop {self.organization_id} kept at {self.kept_at}"
