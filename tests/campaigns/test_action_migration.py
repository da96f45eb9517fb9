"""The migration to one action of a kind per impression keeps each impression's first."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("campaigns", "0003_registry_choices_and_once_per_impression")]
AFTER = [("campaigns", "0005_one_action_of_a_kind_per_impression")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_repeated_clicks_are_reduced_to_the_first(alice):
    from campaigns.helpers import campaign, segment, submit

    shop = alice.organization
    campaign(shop, [segment(shop)], type="onscreen_incentive")
    impression_id = submit(shop, nps=2)["campaign"]["impression_id"]
    try:
        apps = migrate(BEFORE)
        Action = apps.get_model("campaigns", "Action")
        Impression = apps.get_model("campaigns", "Impression")
        impression = Impression.objects.get(pk=impression_id)
        start = datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC)
        clicks = [Action.objects.create(
            organization_id=shop.pk, campaign_id=impression.campaign_id, impression=impression,
            type="click", created_at=start + datetime.timedelta(minutes=minutes))
            for minutes in (5, 0, 9)]
        Action.objects.create(organization_id=shop.pk, campaign_id=impression.campaign_id,
                              impression=impression, type="dismiss", created_at=start)
        apps = migrate(AFTER)
        kept = apps.get_model("campaigns", "Action").objects.order_by("type")
        assert [(a.type, a.pk) for a in kept] == [("click", clicks[1].pk),
                                                  ("dismiss", kept[1].pk)]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
