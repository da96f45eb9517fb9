"""What the reports keep so that their pages need not count everything again: the facts of
closing the loop per callback request (loop_facts.py)."""

from django.db import models

from kairos.accounts.models import Organization


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
    score = models.SmallIntegerField(null=True)  # the NPS of the request's own response
    identified = models.BooleanField(default=False)  # its customer has a responder key

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
