"""Retention: personal data past a shop's (or a campaign's) months is pseudonymised.

Every registered column (kairos/personal_data.py) of a row older than the cutoff gets
its keyed hash, `anon:…`: the same customer keeps the same pseudonym, so scores,
segments over answers and counts of customers stay as they were, and nobody can read the
person back. What a campaign collected (impressions, actions, callback requests) follows
the campaign's own retention when it has one, the shop's otherwise; events older than the
cutoff lose their payload, and the delivery log what receivers answered.

Safe to run at any time and as often as wanted: a pseudonym is never hashed again, and a
run with nothing past retention writes nothing.
"""

import calendar

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kairos.accounts.models import Organization
from kairos.campaigns.models import Campaign
from kairos.personal_data import (
    EVERY_TEXT,
    PERSONAL_KEYS,
    REGISTRY,
    WHOLE,
    is_pseudonym,
    pseudonym,
    retained_keys,
)
from kairos.privacy.models import PrivacyLog
from kairos.privacy.services import REDACTED, log
from kairos.questionnaires.models import QuestionnaireVersion

BATCH = 500


def months_before(moment, months):
    """The same day and time `months` calendar months earlier (the 31st → the month's last)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def anonymise_past_retention(now=None, dry_run=False, actor="", via="command"):
    """Every shop with a retention: {shop: {"responses": n, …}} of the rows changed (or,
    with dry_run, that would change — nothing is written then)."""
    now = now or timezone.now()
    report = {}
    for organization in shops_with_retention():
        counts = anonymise_shop(organization, now, dry_run, actor, via)
        if any(counts.values()):
            report[organization] = counts
    return report


def shops_with_retention():
    with_campaign_retention = Campaign.objects.filter(
        retention_months__isnull=False).values("organization_id")
    return Organization.objects.filter(
        Q(retention_months__isnull=False) | Q(pk__in=with_campaign_retention)).order_by("pk")


def anonymise_shop(organization, now, dry_run=False, actor="", via="command"):
    """One shop, in one transaction: all of it pseudonymised, or none of it."""
    with transaction.atomic():
        pseudonymiser = Pseudonymiser(organization)
        counts = {entry.export_as: pseudonymiser.run(entry, due_rows(organization, entry, now),
                                                     dry_run)
                  for entry in REGISTRY}
        if any(counts.values()) and not dry_run:
            log(organization, PrivacyLog.Kind.RETENTION, actor, via, counts,
                cutoff=shop_cutoff(organization, now))
    return counts


def shop_cutoff(organization, now):
    months = organization.retention_months
    return months_before(now, months) if months else None


def due_rows(organization, entry, now):
    """The entry's rows past retention that may still hold personal data."""
    model = apps.get_model(entry.model)
    past = Q()
    shop = shop_cutoff(organization, now)
    if entry.campaign is not None:
        for campaign_id, months in Campaign.objects.filter(
                organization=organization, retention_months__isnull=False
        ).values_list("pk", "retention_months"):
            past |= Q(**{entry.campaign: campaign_id,
                         f"{entry.dated_by}__lt": months_before(now, months)})
        if shop is not None and not entry.copy:
            past |= Q(**{f"{entry.campaign}__retention_months__isnull": True,
                         f"{entry.dated_by}__lt": shop})
    if shop is not None and (entry.campaign is None or entry.copy):
        past |= Q(**{f"{entry.dated_by}__lt": shop})
    if not past:
        return model.objects.none()
    return (model.objects.filter(**{entry.organization: organization}).filter(past)
            .exclude(done(entry)))


def done(entry):
    """Rows already pseudonymised: every text column is a pseudonym or empty once done,
    so one pseudonym among them is enough to skip the row."""
    if entry.texts:
        done = Q()
        for column in entry.texts:
            done |= Q(**{f"{column}__startswith": "anon:"})
        return done
    if WHOLE in entry.json.values():
        # has_key, not `redacted=True`: a missing key must read as "not done", never NULL
        return Q(**{f"{column}__has_key": "redacted" for column in entry.json})
    return Q(pk__in=[])


class Pseudonymiser:
    """Turns one row's personal values into pseudonyms, the shop's keys in hand."""

    def __init__(self, organization):
        self.organization = organization
        self.keys = {"responder_metadata": retained_keys(organization, "responder"),
                     "questionnaire_metadata": retained_keys(organization, "questionnaire")}
        self.text_questions = {}  # questionnaire version id -> keys of free-text questions

    def run(self, entry, rows, dry_run):
        """How many rows changed (or would)."""
        changed = []
        count = 0
        for row in rows.iterator(chunk_size=BATCH):
            if self.pseudonymise(entry, row):
                count += 1
                changed.append(row)
            if len(changed) >= BATCH:
                self.save(rows.model, entry, changed, dry_run)
                changed = []
        self.save(rows.model, entry, changed, dry_run)
        return count

    def save(self, model, entry, rows, dry_run):
        if rows and not dry_run:
            model.objects.bulk_update(rows, entry.columns)

    def pseudonymise(self, entry, row):
        """Replace the row's personal values in place; True when any changed."""
        before = [getattr(row, column) for column in entry.columns]
        for column in entry.texts:
            setattr(row, column, self.hidden(getattr(row, column)))
        for column, rule in entry.json.items():
            setattr(row, column, self.hidden_document(row, column, rule))
        return before != [getattr(row, column) for column in entry.columns]

    def hidden(self, value):
        if value is None or value == "" or is_pseudonym(value):
            return value
        if isinstance(value, list):
            return [self.hidden(item) for item in value]
        return pseudonym(self.organization.pk, value)

    def hidden_document(self, row, column, rule):
        document = getattr(row, column)
        if rule == WHOLE:
            return REDACTED
        if rule == EVERY_TEXT:
            return every_text(document, self.hidden)
        if isinstance(rule, tuple):
            keys = rule
        elif rule == PERSONAL_KEYS:
            keys = self.keys[column]
        else:
            keys = self.free_text_keys(row.questionnaire_version_id)
        return {key: self.hidden(value) if key in keys else value
                for key, value in document.items()}

    def free_text_keys(self, version_id):
        if version_id not in self.text_questions:
            questions = QuestionnaireVersion.objects.get(pk=version_id).questions
            self.text_questions[version_id] = {q["key"] for q in questions
                                               if q["type"] == "text"}
        return self.text_questions[version_id]


def every_text(document, hide):
    if isinstance(document, dict):
        return {key: every_text(value, hide) for key, value in document.items()}
    if isinstance(document, list):
        return [every_text(item, hide) for item in document]
    return hide(document) if isinstance(document, str) else document
