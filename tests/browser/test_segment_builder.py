"""The segment builder in a real Chromium: build, see the live size, save, fix problems."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kairos.questionnaires.services import published_version, record_response
from kairos.segments.models import Segment

pytestmark = pytest.mark.browser

UNHAPPY_IN_ATHENS = {"any": [
    {"all": [{"field": "answers.nps", "op": "lte", "value": 6},
             {"field": "questionnaire.store_id", "op": "in", "value": ["athens"]}]},
    {"all": [{"field": "answers.rating", "op": "lte", "value": 4}]},
]}
# (nps, rating, store, customer, days ago): four responses of three customers match
# UNHAPPY_IN_ATHENS in the last 30 days; one more matches but is older.
RESPONSES = [
    (3, 8, "athens", "anna", 1),           # group 1
    (5, None, "athens", "babis", 2),       # group 1
    (3, 9, "patra", "chloe", 3),           # low NPS, but not in Athens
    (9, 2, "athens", "anna", 4),           # group 2 (anna again)
    (10, 9, "patra", "dimitris", 5),
    (6, 4, "thessaloniki", "eleni", 6),    # group 2
    (2, 7, None, "fotis", 7),              # low NPS, no store
    (1, 1, "athens", "giorgos", 40),       # matches, outside the 30 days
]
EXPECTED_SIZE = "4 responses · 3 customers in the last 30 days (of 7)"


def seed_responses(organization):
    version = published_version(organization, "checkout")
    for nps, rating, store, customer, days_ago in RESPONSES:
        answers = {"nps": nps} | ({"rating": rating} if rating else {})
        order = {"store_id": store} if store else {}
        metadata = {"questionnaire": order, "responder": {"email": f"{customer}@example.com"}}
        record_response(organization, version, {"answers": answers, "metadata": metadata},
                        locale="en",
                        submitted_at=timezone.now() - datetime.timedelta(days=days_ago))


def group(page, name):
    return page.get_by_role("group", name=name, exact=True)


def add(group_locator, what):
    """Click the group's own "Add condition" / "Add group" (not a nested group's)."""
    group_locator.locator(":scope > .group-actions").get_by_role("button", name=what).click()


def fill_condition(condition, field, operator, value):
    condition.get_by_label("Field").select_option(field)
    condition.get_by_label("Operator").select_option(operator)
    condition.get_by_label("Value").fill(value)


def test_a_marketer_builds_a_two_group_segment(page, live_server, log_in, screenshot, alice):
    seed_responses(alice.organization)
    log_in(alice)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Segments").click()
    page.get_by_role("link", name="New segment").click()
    page.get_by_label("Name:").fill("Unhappy in Athens")

    root = group(page, "Conditions")
    root.locator(":scope > .group-head").get_by_label("Match").select_option("any")
    add(root, "Add group")
    first = group(page, "Group 1")
    add(first, "Add condition")
    fill_condition(group(first, "Condition 1"), "answers.nps", "lte", "6")
    add(first, "Add condition")
    fill_condition(group(first, "Condition 2"), "questionnaire.store_id", "in", "athens")
    add(root, "Add group")
    second = group(page, "Group 2")
    add(second, "Add condition")
    fill_condition(group(second, "Condition 1"), "answers.rating", "lte", "4")

    expect(page.locator("#live-size")).to_have_text(EXPECTED_SIZE)
    expect(page.locator(".node-problem:not(:empty)")).to_have_count(0)
    screenshot("segment-builder.png")
    page.get_by_role("button", name="Save segment").click()

    expect(page.get_by_role("status")).to_contain_text("Saved “Unhappy in Athens”.")
    segment = Segment.objects.get(organization=alice.organization)
    assert segment.name == "Unhappy in Athens"
    assert segment.conditions == UNHAPPY_IN_ATHENS
    # The saved segment opens in the builder as it was built.
    expect(group(page, "Group 2").get_by_label("Operator")).to_have_value("lte")
    expect(page.locator("#live-size")).to_have_text(EXPECTED_SIZE)
    page.get_by_role("link", name="← Segments").click()
    row = page.get_by_role("row").filter(has_text="Unhappy in Athens")
    expect(row).to_contain_text("4 responses")
    expect(row).to_contain_text("active")


def test_problems_are_shown_next_to_their_condition(page, live_server, log_in, alice):
    log_in(alice)
    page.goto(f"{live_server.url}/dashboard/segments/new/")
    page.get_by_label("Name:").fill("Half done")
    root = group(page, "Conditions")
    add(root, "Add group")
    add(group(page, "Group 1"), "Add condition")
    condition = group(group(page, "Group 1"), "Condition 1")
    condition.get_by_label("Field").select_option("answers.nps")
    condition.get_by_label("Operator").select_option("between")
    condition.get_by_label("Value").first.fill("0")

    # The live preview answers 422; its message lands on the row, not only at the top.
    expect(condition.locator(".node-problem")).to_contain_text("The value must be")
    expect(page.locator("#live-size-problem")).not_to_be_empty()

    page.get_by_role("button", name="Save segment").click()
    expect(page.locator("#rule-problems")).to_contain_text("Group 1 › Condition 1 › value")
    expect(group(group(page, "Group 1"), "Condition 1").locator(".node-problem")
           ).to_contain_text("The value must be")
    assert not Segment.objects.exists()


def test_an_empty_any_group_and_a_refused_pattern_are_shown_where_they_are(
        page, live_server, log_in, alice):
    log_in(alice)
    page.goto(f"{live_server.url}/dashboard/segments/new/")
    expect(page.locator(".text-comparisons")).to_contain_text(
        "Text comparisons ignore upper and lower case")
    add(group(page, "Conditions"), "Add group")
    first = group(page, "Group 1")
    first.locator(":scope > .group-head").get_by_label("Match").select_option("any")

    # An "any of" group without conditions would match no one: the group says so.
    expect(first.locator(":scope > .node-problem")).to_contain_text(
        "needs at least one condition")
    expect(first.locator(":scope > .empty-hint")).to_contain_text("cannot be saved")

    add(first, "Add condition")
    condition = group(first, "Condition 1")
    condition.get_by_label("Field").select_option("answers.comment")
    condition.get_by_label("Operator").select_option("regex")
    expect(condition.get_by_label("Value")).to_have_attribute(
        "placeholder", re.compile(r"\(\?i\) ignores upper and lower case"))
    condition.get_by_label("Value").fill("\\blate\\b")
    expect(condition.locator(".node-problem")).to_contain_text("The value uses “\\b”")
    expect(first.locator(":scope > .node-problem")).to_be_empty()

    condition.get_by_label("Value").fill("(^| )late( |$)")
    expect(page.locator("#live-size")).to_contain_text("0 responses")
    expect(page.locator(".node-problem:not(:empty)")).to_have_count(0)


STORES = ["Athens", "Athens", "athens ", "Patra", "Thessaloniki"]


def test_the_builder_offers_the_shops_values_and_flags_a_typo(page, live_server, log_in, alice):
    version = published_version(alice.organization, "checkout")
    for number, store in enumerate(STORES):
        record_response(alice.organization, version, {"answers": {"nps": 5}, "metadata": {
            "questionnaire": {"store_id": store},
            "responder": {"email": f"c{number}@example.com"}}}, locale="en")
    log_in(alice)
    page.goto(f"{live_server.url}/dashboard/segments/new/")
    # The rule's JSON never shows while the builder is there.
    expect(page.locator("[data-rule-json]")).to_be_hidden()
    page.get_by_label("Name:").fill("Athens")
    add(group(page, "Conditions"), "Add condition")
    condition = group(group(page, "Conditions"), "Condition 1")
    # Fields are named by the question's text and the shop's own words, not raw keys.
    expect(condition.get_by_label("Field").locator("option[value='questionnaire.store_id']")
           ).to_have_text("Order › Store")
    # A new condition says nothing is wrong before anything was typed.
    expect(condition.locator(".node-problem")).to_be_empty()
    expect(page.locator("#live-size")).to_have_text(
        "Fill in the new condition to count the segment.")
    condition.get_by_label("Field").select_option("questionnaire.store_id")
    condition.get_by_label("Operator").select_option("eq")

    value = condition.get_by_role("combobox", name="Value")
    value.press_sequentially("ath")
    suggestions = condition.get_by_role("listbox", name="Suggestions from this shop's responses")
    expect(suggestions.get_by_role("option")).to_have_count(1)
    expect(suggestions.get_by_role("option")).to_have_text("Athens 3 responses")
    suggestions.get_by_role("option", name="Athens").click()
    expect(value).to_have_value("Athens")
    expect(suggestions).to_be_hidden()
    expect(page.locator("#live-size")).to_have_text(
        "3 responses · 3 customers in the last 30 days (of 5)")
    expect(condition.locator(".value-hint")).to_be_empty()

    value.fill("Athns")
    hint = condition.locator(".value-hint")
    expect(hint).to_contain_text("“Athns” matches no one in this shop's recent responses.")
    expect(page.locator("#live-size")).to_have_text(
        "0 responses · 0 customers in the last 30 days (of 5)")
    hint.get_by_role("button", name="Athens (3)").click()
    expect(value).to_have_value("Athens")
    expect(hint).to_be_empty()
    expect(page.locator("#live-size")).to_contain_text("3 responses")

    # "is one of": the item being typed gets the suggestions; each unknown item a hint.
    condition.get_by_label("Operator").select_option("in")
    value = condition.get_by_role("combobox", name="Value")
    value.fill("Athens, pat")
    condition.get_by_role("option", name="Patra").click()
    expect(value).to_have_value("Athens, Patra")
    expect(page.locator("#live-size")).to_contain_text("4 responses")
    value.fill("Athens, Volos")
    expect(hint).to_contain_text("“Volos” matches no one")

    page.get_by_role("button", name="Save segment").click()
    expect(page.get_by_role("status")).to_contain_text("Saved “Athens”.")
    assert Segment.objects.get().conditions == {"all": [
        {"field": "questionnaire.store_id", "op": "in", "value": ["Athens", "Volos"]}]}
    # Opened again, the saved typo is flagged at once.
    expect(group(group(page, "Conditions"), "Condition 1").locator(".value-hint")
           ).to_contain_text("“Volos” matches no one")


def test_leaving_a_changed_segment_asks_first(page, live_server, log_in, alice):
    log_in(alice)
    page.goto(f"{live_server.url}/dashboard/segments/new/")
    page.get_by_label("Name:").fill("Not saved")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.get_by_role("link", name="← Segments").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/segments/new/")
    assert dialogs == ["beforeunload"]
    page.remove_listener("dialog", answer)
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="← Segments").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/segments/")
