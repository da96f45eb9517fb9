"""The dashboard and the admin API lists of a big shop, against a plain indexed COUNT.

Builds one shop with N responses (bulk: executemany on SQLite, COPY on PostgreSQL, the
typed columns filled by the app's own code, as bench_segment_size.py does), impressions
on a share of them, actions, callback requests, 20 segments and 50 campaigns; then times
the p50 of every heavy page through Django's test client (the whole view, template
included), signed in as the shop's owner: Home once before the daily rollup is sealed
(every response counted live) and then, like every page, with the shop's days up to
yesterday sealed, as the worker keeps them (questionnaires/rollup.py). The campaign pages are
timed again after the shop grows to 200 campaigns: their cost must not grow with the
number of campaigns.

Each page's figure is also given as a ratio to a plain indexed COUNT of the shop's
responses (`SELECT COUNT(*) … WHERE organization_id = ? AND submitted_at >= ?`), timed in
the same run, so a loaded machine moves both.

    SECRET_KEY=x .venv/bin/python bench/bench_dashboard.py [--database sqlite|postgres]
        [--responses 1000000] [--impressions 300000] [--callbacks 20000]
        [--repeat 7] [--keep] [--readme]

SQLite: a fresh file in a temp directory. PostgreSQL: the database `--pg-database`
(default kairos_bench_dashboard) is dropped and created, and dropped at the end unless
--keep. `--readme` writes the table into bench/README.md (between its dashboard markers).
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import bench_segment_size as responses_bench  # noqa: E402

PG_SERVER = responses_bench.PG_SERVER
SEGMENT_RULES = [
    [{"field": "answers.nps", "op": "lte", "value": 6}],
    [{"field": "answers.nps", "op": "gte", "value": 9}],
    [{"field": "answers.nps", "op": "between", "value": [7, 8]}],
    [{"field": "questionnaire.amount", "op": "gte", "value": 100}],
    [{"field": "questionnaire.store_id", "op": "in", "value": ["athens", "thessaloniki"]}],
    [{"field": "questionnaire.store_id", "op": "eq", "value": "online"}],
    [{"field": "answers.rating", "op": "lte", "value": 4}],
    [{"field": "answers.nps", "op": "lte", "value": 3},
     {"field": "questionnaire.amount", "op": "gte", "value": 50}],
]
CAMPAIGN_TYPES = ["callback_request", "refer_friend", "onscreen_incentive", "image_display"]
README_START = "<!-- bench_dashboard: start -->"
README_END = "<!-- bench_dashboard: end -->"


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--impressions", type=int, default=300_000)
    parser.add_argument("--callbacks", type=int, default=20_000)
    parser.add_argument("--campaigns", type=int, nargs=2, default=[50, 200],
                        metavar=("FEW", "MANY"))
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--pg-database", default="kairos_bench_dashboard")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--readme", action="store_true",
                        help="write the table into bench/README.md")
    return parser.parse_args(argv)


def configure_environment(options):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kairos.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="kairos-bench-dashboard-")
    if options.database == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{options.pg_database}"')
            admin.execute(f'CREATE DATABASE "{options.pg_database}"')
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{options.pg_database}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{os.environ['DATA_DIR']}/bench.sqlite3"


# ---- the shop ------------------------------------------------------------------------

def build_segments(shop):
    from kairos.segments.models import Segment

    return [Segment.objects.create(organization=shop, name=f"Segment {n}",
                                   conditions={"all": SEGMENT_RULES[n % len(SEGMENT_RULES)]})
            for n in range(20)]


def add_campaigns(shop, segments, count, rng):
    """Live campaigns over one or two segments each, priorities with ties."""
    from kairos.campaigns.models import Campaign
    from kairos.campaigns.services import create_campaign

    existing = Campaign.objects.filter(organization=shop).count()
    for number in range(existing, count):
        chosen = rng.sample(segments, rng.choice((1, 1, 2)))
        create_campaign(shop, {"type": CAMPAIGN_TYPES[number % 4], "title": f"Campaign {number}",
                               "active": True, "priority": number % 9,
                               "frequency_cap_minutes": 60 * (number % 3)},
                        [segment.pk for segment in chosen])
    return list(Campaign.objects.filter(organization=shop).order_by("pk"))


def chosen_responses(shop, share, rng):
    """(id, submitted_at, locale, device_id, email, phone, customer_id) of about `share`
    of the shop's responses, oldest first."""
    from kairos.questionnaires.models import Response

    rows = (Response.objects.filter(organization=shop).order_by("submitted_at")
            .values_list("id", "submitted_at", "locale", "device_id", "email", "phone_number",
                         "customer_id").iterator(chunk_size=20_000))
    return [row for row in rows if rng.random() < share]


def add_impressions_and_callbacks(shop, campaigns, impressions, callbacks, rng):
    """Impressions on `impressions` responses, a click on a tenth of them, and a callback
    request (action + request) on `callbacks` of those shown a callback campaign."""
    from django.db import transaction

    from kairos.callbacks.models import CallbackRequest
    from kairos.campaigns.models import Action, Impression
    from kairos.questionnaires.models import Response

    total = Response.objects.filter(organization=shop).count()
    shown = chosen_responses(shop, min(1.0, impressions / max(total, 1)), rng)
    callback_campaigns = [c for c in campaigns if c.type == "callback_request"]
    other_campaigns = [c for c in campaigns if c.type != "callback_request"]
    statuses = ["new", "new", "contacted", "resolved", "resolved", "resolved"]
    made = {"impressions": 0, "actions": 0, "callbacks": 0}
    batch_impressions, batch_actions, batch_callbacks = [], [], []

    def flush():
        Impression.objects.bulk_create(batch_impressions, batch_size=2_000)
        Action.objects.bulk_create(batch_actions, batch_size=2_000)
        CallbackRequest.objects.bulk_create(batch_callbacks, batch_size=2_000)
        made["impressions"] += len(batch_impressions)
        made["actions"] += len(batch_actions)
        made["callbacks"] += len(batch_callbacks)
        batch_impressions.clear(), batch_actions.clear(), batch_callbacks.clear()

    callback_share = callbacks / max(len(shown), 1) * 2  # half the rows get a callback campaign
    with transaction.atomic():
        for response_id, at, locale, device_id, email, phone, customer_id in shown:
            wants_callback = rng.random() < callback_share / 2 and made["callbacks"] + len(
                batch_callbacks) < callbacks
            campaign = rng.choice(callback_campaigns if wants_callback else other_campaigns)
            impression = Impression(
                organization=shop, campaign=campaign, response_id=response_id, shown_at=at,
                locale=locale, device_id=device_id, email=email, phone_number=phone,
                customer_id=customer_id, control=rng.random() < 0.03)
            batch_impressions.append(impression)
            if wants_callback:
                action = Action(organization=shop, impression=impression, campaign=campaign,
                                type="callback_request", created_at=at)
                status = rng.choice(statuses)
                contacted = at + datetime.timedelta(hours=rng.randint(1, 72))
                batch_actions.append(action)
                batch_callbacks.append(CallbackRequest(
                    organization=shop, action=action, campaign=campaign,
                    response_id=response_id, phone_number=phone or "+306940000000",
                    consent_text="I agree to be called back.", consent_at=at, status=status,
                    created_at=at, due_at=at + datetime.timedelta(hours=48),
                    first_contact_at=None if status == "new" else contacted,
                    resolved_at=contacted if status == "resolved" else None))
            elif rng.random() < 0.1:
                batch_actions.append(Action(organization=shop, impression=impression,
                                            campaign=campaign, type="click", created_at=at))
            if len(batch_impressions) >= 10_000:
                flush()
        flush()
    return made


def build_shop(options, rng):
    from django.contrib.auth.models import User  # noqa: F401  (the auth app is ready)
    from django.core.management import call_command
    from django.utils import timezone

    from kairos.accounts.models import ApiKey
    from kairos.accounts.roles import Role
    from kairos.accounts.services import add_membership, create_organization, ensure_user
    from kairos.questionnaires.services import published_version, remember_field_types

    call_command("migrate", verbosity=0)
    shop = create_organization("Bench shop", country="GR", time_zone="Europe/Athens")
    owner = ensure_user("owner@bench.example", "bench-only-password")
    add_membership(owner, shop, Role.OWNER)
    _key, secret = ApiKey.issue(shop, "bench")
    version = published_version(shop, "checkout")
    remember_field_types(shop, responses_bench.FIELD_TYPES_SENT)
    started = time.perf_counter()
    responses_bench.load_responses(shop, version, options.responses, timezone.now())
    loaded = time.perf_counter()
    segments = build_segments(shop)
    campaigns = add_campaigns(shop, segments, options.campaigns[0], rng)
    made = add_impressions_and_callbacks(shop, campaigns, options.impressions,
                                         options.callbacks, rng)
    responses_bench.vacuum_analyze()
    built = time.perf_counter()
    print(f"built: {options.responses:,} responses in {loaded - started:.0f} s; "
          f"{made['impressions']:,} impressions, {made['actions']:,} actions, "
          f"{made['callbacks']:,} callbacks, {len(campaigns)} campaigns in "
          f"{built - loaded:.0f} s", flush=True)
    return shop, owner, secret, segments


# ---- timing --------------------------------------------------------------------------

def baseline_count(shop):
    """The yardstick: a plain COUNT of the shop's responses over its indexed columns."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM questionnaires_response "
                       "WHERE organization_id = %s AND submitted_at >= %s",
                       [shop.pk, datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)])
        return cursor.fetchone()[0]


def p50(function, repeat):
    function()  # warm: imports, caches, the database's pages
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def page(client, url, query_count=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code,
                                              response.content[:300])
        return response

    if query_count is not None:
        with CaptureQueriesContext(connection) as captured:
            get()
        query_count[url] = len(captured.captured_queries)
    return get


def pages(shop, segments):
    """(label, url) of every heavy page, for the shop as it is now."""
    from kairos.campaigns.models import Campaign

    campaign = (Campaign.objects.filter(organization=shop, type="callback_request")
                .order_by("pk").first())
    store = "thessaloniki"
    return [
        (HOME, "/dashboard/"),
        ("Callbacks report", "/dashboard/reports/callbacks/"),
        ("Responses list + NPS", "/dashboard/responses/"),
        ("Responses: search by e-mail", "/dashboard/responses/?q=customer1234@example.com"),
        ("Responses: filter by store", f"/dashboard/responses/?store={store}"),
        ("Responses: page 200", "/dashboard/responses/?page=200"),
        ("API /api/v1/responses", "/api/v1/responses?limit=50"),
        ("API /api/v1/responses by e-mail",
         "/api/v1/responses?email=customer1234@example.com"),
        ("API /api/v1/responses by store", f"/api/v1/responses?store_id={store}"),
        ("API /api/v1/responses offset 10,000", "/api/v1/responses?limit=50&offset=10000"),
        ("My campaigns", "/dashboard/campaigns/"),
        ("A campaign's page (conflict check)", f"/dashboard/campaigns/{campaign.pk}/"),
        ("A campaign's performance", f"/dashboard/campaigns/{campaign.pk}/performance/"),
        ("Campaign comparison", "/dashboard/campaigns/compare/"),
        ("Callbacks list", "/dashboard/callbacks/"),
    ]


CAMPAIGN_PAGES = ("My campaigns", "A campaign's page (conflict check)",
                  "A campaign's performance", "Campaign comparison",
                  "Home (last 30 days, with the previous)")


def time_pages(shop, owner, secret, segments, repeat, only=None):
    from django.test import Client

    browser = Client()
    browser.force_login(owner)
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    queries = {}
    results = {}
    for label, url in pages(shop, segments):
        if only and label not in only:
            continue
        client = api if url.startswith("/api/") else browser
        results[label] = (p50(page(client, url, queries), repeat), queries[url])
        print(f"  {label}: {results[label][0] * 1000:.0f} ms, {queries[url]} queries",
              flush=True)
    return results


HOME = "Home (last 30 days, with the previous)"
HOME_LIVE = "Home, nothing sealed (every response counted live)"


def seal(shop):
    """The steady state: the worker seals each shop's days up to yesterday every hour."""
    from django.db import connection

    from kairos.questionnaires.rollup import seal as seal_days

    started = time.perf_counter()
    seal_days(shop)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"sealed the daily rollup in {time.perf_counter() - started:.1f} s", flush=True)


def keep_lift_facts(shop):
    """What the periodic job does every 15 minutes before the pages are seen: the lift
    column's facts (campaigns/lift_facts.py), timed because it is the cost moved off them."""
    from kairos.campaigns.lift_facts import keep_facts_of

    keep_timed(shop, "lift facts", keep_facts_of)


def keep_callback_facts(shop, repeat):
    """The same for closing the loop's outcomes (reports/loop_facts.py): Home and the
    callbacks report count them. Closing the loop of Home's two periods is timed in
    process before the first keep (counted live) and after it (from the facts)."""
    from kairos.reports.loop_facts import keep_facts_of

    live = p50(lambda: home_closing_the_loop(shop), repeat)
    keep_timed(shop, "callback facts", keep_facts_of)
    kept = p50(lambda: home_closing_the_loop(shop), repeat)
    print(f"  closing the loop, Home's two periods: {live * 1000:.0f} ms live, "
          f"{kept * 1000:.0f} ms from the kept facts", flush=True)


def home_closing_the_loop(shop):
    from kairos.accounts.periods import choose
    from kairos.accounts.shop_time import shop_today
    from kairos.reports.closing_the_loop import closing_the_loop

    period = choose(shop_today(shop))
    for span in (period.span(shop), period.previous().span(shop)):
        closing_the_loop(shop, span)


def keep_timed(shop, what, keep):
    from django.utils import timezone

    for label in ("first keep", "keep again, nothing changed"):
        started = time.perf_counter()
        written = keep(shop, timezone.now())
        print(f"  {what}, {label}: {time.perf_counter() - started:.1f} s, "
              f"{written:,} rows written", flush=True)


def measure(options, shop, owner, secret, segments, rng):
    from kairos.campaigns.configuration import forget_compiled_configurations

    keep_lift_facts(shop)
    keep_callback_facts(shop, options.repeat)
    baseline = p50(lambda: baseline_count(shop), options.repeat)
    live = time_pages(shop, owner, secret, segments, options.repeat, only=(HOME,))
    seal(shop)
    few = {HOME_LIVE: live[HOME],
           **time_pages(shop, owner, secret, segments, options.repeat)}
    add_campaigns(shop, segments, options.campaigns[1], rng)
    forget_compiled_configurations()
    many = time_pages(shop, owner, secret, segments, options.repeat, only=CAMPAIGN_PAGES)
    baseline_after = p50(lambda: baseline_count(shop), options.repeat)
    return baseline, few, many, baseline_after


def table(options, vendor, baseline, few, many):
    few_n, many_n = options.campaigns
    lines = [f"| page ({vendor}) | p50 ms, {few_n} campaigns | × COUNT | queries | "
             f"p50 ms, {many_n} campaigns | × COUNT |", "|---|---:|---:|---:|---:|---:|"]
    for label, (seconds, queries) in few.items():
        grown = many.get(label)
        extra = (f"{grown[0] * 1000:.0f} | {grown[0] / baseline:.1f}" if grown else "— | —")
        lines.append(f"| {label} | {seconds * 1000:.0f} | {seconds / baseline:.1f} | "
                     f"{queries} | {extra} |")
    lines.append(f"| *baseline: indexed COUNT of {options.responses:,} responses* | "
                 f"{baseline * 1000:.0f} | 1.0 | 1 | | |")
    return "\n".join(lines)


def write_readme(text):
    readme = HERE / "README.md"
    content = readme.read_text()
    if README_START not in content:
        content += f"\n{README_START}\n{README_END}\n"
    head, rest = content.split(README_START, 1)
    _old, tail = rest.split(README_END, 1)
    readme.write_text(f"{head}{README_START}\n{text}\n{README_END}{tail}")


def server_version():
    from django.db import connection

    return responses_bench.server_version(connection)


def main(argv=None):
    options = parse_arguments(argv)
    configure_environment(options)
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()  # the test client's host is allowed
    rng = random.Random(20261202)
    try:
        shop, owner, secret, segments = build_shop(options, rng)
        load = os.getloadavg()[0]
        baseline, few, many, after = measure(options, shop, owner, secret, segments, rng)
        text = table(options, server_version(), baseline, few, many)
        print(f"\nload average {load:.1f} on {os.cpu_count()} CPUs; baseline COUNT "
              f"{baseline * 1000:.1f} ms before, {after * 1000:.1f} ms after\n")
        print(text)
        slow = [label for label, (seconds, _q) in {**few, **many}.items() if seconds > 0.3]
        print("\nover 300 ms: " + (", ".join(slow) if slow else "none"))
        if options.readme:
            write_readme(text)
        return text
    finally:
        if options.database == "postgres" and not options.keep:
            responses_bench.drop_postgres_database(options)


if __name__ == "__main__":
    main()
