"""The lift column judges every campaign with one grouped query over the kept facts: each
label must be the verdict of that campaign's own (live) lift report when they were kept."""

import datetime

import time_machine
from campaigns.helpers import campaign, segment
from campaigns.lift_helpers import DAY, NOW, expose, order

from kairos.campaigns.lift import lift_report
from kairos.campaigns.lift_facts import keep_facts_of
from kairos.campaigns.views.lift import lift_labels, short_label


def exposed(chosen, customers, reorders, days_ago, prefix):
    shop = chosen.organization
    for n in range(customers * 2):
        control = n % 2 == 1
        email = f"{prefix}{n}@example.com"
        expose(chosen, order(shop, NOW - days_ago * DAY, nps=n % 11, email=email),
               control=control)
        if n // 2 < reorders[control]:
            order(shop, NOW - (days_ago - 10) * DAY, nps=(n * 7) % 11, email=email)


def test_the_grouped_labels_are_each_campaigns_own_verdict(alice):
    shop = alice.organization
    with time_machine.travel(NOW - 200 * DAY, tick=False):
        first = campaign(shop, [segment(shop)], title="Call me", holdout_percent=50)
        second = campaign(shop, [segment(shop)], title="Refer", type="refer_friend",
                          holdout_percent=20, start_date=(NOW - 120 * DAY).date())
        plain = campaign(shop, [segment(shop)], title="Plain")
    exposed(first, 40, {False: 24, True: 8}, 150, "a")
    exposed(first, 5, {False: 1, True: 1}, 100, "shared")  # also exposed to the second
    exposed(second, 35, {False: 10, True: 11}, 100, "b")
    exposed(second, 5, {False: 3, True: 0}, 100, "shared")
    today = NOW.date()
    with time_machine.travel(NOW, tick=False):
        keep_facts_of(shop, NOW)
        for since in (None, today - 110 * DAY):
            labels = lift_labels([first, second, plain], today, since=since)
            expected = {}
            for chosen in (first, second):
                start = since or min(chosen.start_date, today)
                found = lift_report(chosen, start, today)["verdict"]
                expected[chosen.pk] = (short_label(found), found.text)
            assert {pk: (label, text.split(" Counted at ")[0])
                    for pk, (label, text) in labels.items()} == expected
            assert all(" Counted at " in text for _label, text in labels.values())
    assert labels[first.pk] != labels[second.pk]


def test_no_campaign_with_a_holdout_needs_no_query(alice, django_assert_num_queries):
    plain = campaign(alice.organization, [segment(alice.organization)], title="Plain")
    with django_assert_num_queries(1):  # the control impressions, none
        assert lift_labels([plain], datetime.date(2026, 11, 27)) == {}
