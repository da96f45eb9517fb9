"""Each shop's campaigns and segments, compiled once and held in process memory.

The shop's `config_version` (bumped by every change to campaigns, segments,
questionnaires, metadata fields or the shop itself, its contact budget included) arrives
with the site key lookup every request makes anyway, so knowing whether the compiled copy
is stale costs nothing; several app processes each rebuild their own copy on the first
request after a change. The published questionnaire of each stage is held here too.
"""

import logging
from dataclasses import dataclass, field

from kairos.campaigns.budget import engine_budget
from kairos.campaigns.models import Campaign
from kairos.engine.business_hours import BusinessHours, InvalidHours
from kairos.engine.conflicts import always_ahead
from kairos.engine.decision import Campaign as EngineCampaign
from kairos.engine.decision import CampaignBook
from kairos.engine.decision import Segment as EngineSegment
from kairos.engine.rules import InvalidRule
from kairos.questionnaires.models import Stage
from kairos.questionnaires.services import published_version
from kairos.segments.fields import field_types
from kairos.segments.models import Segment
from kairos.segments.services import compiled_matcher


@dataclass
class ShopConfiguration:
    version: int
    book: CampaignBook
    campaigns: dict  # id -> Campaign model (content, type) for rendering
    catalog: dict  # field path -> type, to read responses as the rules expect
    # Whether any campaign has a frequency cap or the shop a contact budget: only then is
    # the customer's history read (and locked) on the hot path.
    needs_history: bool
    questionnaires: dict  # stage -> the QuestionnaireVersion customers answer now
    types: frozenset = frozenset()  # the campaign types the shop's campaigns are of
    _books_by_types: dict = field(default_factory=dict)
    _hopeless: dict = field(default_factory=dict)

    def published_version(self, stage):
        return self.questionnaires.get(stage)

    def book_for(self, campaign_types):
        """The book of the campaigns whose type is one of `campaign_types` (a widget
        shows only those it has a view for); None: every campaign."""
        wanted = self.types if campaign_types is None else self.types.intersection(
            campaign_types)
        if wanted == self.types:
            return self.book
        # Keyed by the shop's types the caller names: at most one book per subset of them.
        book = self._books_by_types.get(wanted)
        if book is None:
            book = self._books_by_types[wanted] = self.book.with_campaigns(
                c for c in self.book.campaigns if self.campaigns[c.id].type in wanted)
        return book

    def never_shown(self, today):
        """{campaign id: the campaigns always shown instead} for every campaign that can
        never win (engine/conflicts.py), as of the shop's date `today`."""
        found = self._hopeless.get(today)
        if found is None:
            found = {c.id: ahead for c in self.book.campaigns
                     if (ahead := always_ahead(self.book, c, today))}
            self._hopeless.clear()  # only today's is ever asked for again
            self._hopeless[today] = found
        return found


logger = logging.getLogger(__name__)
_compiled: dict[int, ShopConfiguration] = {}


def shop_configuration(organization):
    cached = _compiled.get(organization.pk)
    if cached is None or cached.version != organization.config_version:
        cached = _compiled[organization.pk] = compile_shop(organization)
    return cached


def forget_compiled_configurations():
    _compiled.clear()


def compile_shop(organization):
    catalog = field_types(organization)
    campaigns = list(Campaign.objects.current().filter(organization=organization)
                     .prefetch_related("segments"))
    segments = [engine_segment(s, catalog)
                for s in Segment.objects.filter(organization=organization)
                .select_related("questionnaire")]
    budget = engine_budget(organization)
    book = CampaignBook([engine_campaign(c) for c in campaigns], segments,
                        time_zone=organization.time_zone, budget=budget)
    return ShopConfiguration(
        version=organization.config_version, book=book,
        campaigns={c.pk: c for c in campaigns}, catalog=catalog,
        needs_history=budget is not None or any(c.frequency_cap_minutes for c in campaigns),
        types=frozenset(c.type for c in campaigns),
        questionnaires={stage: published_version(organization, stage)
                        for stage in Stage.values},
    )


def engine_segment(segment, catalog):
    try:
        matches, explain = compiled_matcher(segment, catalog)
    except InvalidRule:
        # Rules are validated when saved; should one ever stop fitting the shop's fields,
        # its segment matches no one rather than taking every response down with it.
        logger.warning("segment %s has an invalid rule; treated as inactive", segment.pk)
        return EngineSegment(id=segment.pk, active=False, matches=lambda v, t: False,
                             name=segment.name)
    return EngineSegment(id=segment.pk, active=segment.active, matches=matches,
                         explain=explain, name=segment.name)


def engine_campaign(campaign, segment_ids=None):
    """The engine's view of a campaign; a draft not yet saved names its `segment_ids`."""
    if segment_ids is None:
        segment_ids = [s.pk for s in campaign.segments.all()]
    return EngineCampaign(
        id=campaign.pk, title=campaign.title, priority=campaign.priority,
        created_at=campaign.created_at, active=campaign.active,
        start_date=campaign.start_date, end_date=campaign.end_date,
        languages=frozenset(campaign.languages or ()),
        segment_ids=tuple(segment_ids),
        frequency_cap=campaign.frequency_cap,
        holdout_percent=campaign.holdout_percent,
        callback_hours=business_hours(campaign),
        max_open_callbacks=campaign.max_open_callbacks,
    )


def business_hours(campaign):
    if not campaign.callback_hours:
        return None
    try:
        return BusinessHours.from_dict(campaign.callback_hours)
    except InvalidHours:
        # Checked when saved; should a stored value ever stop reading, the campaign is
        # held to no hours rather than taking every response down with it.
        logger.warning("campaign %s has unreadable callback hours; ignored", campaign.pk)
        return None
