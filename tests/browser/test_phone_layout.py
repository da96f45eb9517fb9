"""The dashboard on a 375 px phone, in Greek (the longer words): no page wider than the
screen, "Log out" on the screen, and the actions of a table's rows (Edit, Remove…)
still there when the phone hides a wide table's middle columns."""

import re

import pytest
from conftest import make_member
from playwright.sync_api import expect

from kairos.accounts.roles import Role

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
LONG_EMAIL = "campaign.manager.of.the.shop@example.com"


@pytest.fixture
def owner_on_a_phone(page, live_server, log_in):
    user, _organization = make_member(LONG_EMAIL, "Phone Shop", Role.OWNER)
    page.set_viewport_size(PHONE)
    log_in(user)  # in English, as the fixture expects; the pages then in Greek
    page.context.add_cookies([{"name": "django_language", "value": "el",
                               "url": live_server.url}])
    return user


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("path", ["/dashboard/", "/dashboard/callbacks/", "/dashboard/campaigns/",
                                  "/settings/keys/", "/settings/users/", "/settings/webhooks/"])
def test_no_page_is_wider_than_the_phone(page, live_server, owner_on_a_phone, path):
    page.goto(f"{live_server.url}{path}")
    assert page_width(page) <= PHONE["width"], path
    log_out = page.get_by_role("button", name="Αποσύνδεση")
    expect(log_out).to_be_in_viewport()
    box = log_out.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]


def test_the_questionnaires_can_be_edited_from_a_phone(page, live_server, owner_on_a_phone):
    page.goto(f"{live_server.url}/dashboard/responses/questionnaires/")
    assert page_width(page) <= PHONE["width"]
    edit = page.get_by_role("link", name="Επεξεργασία").first
    expect(edit).to_be_visible()
    edit.click()
    expect(page).to_have_url(re.compile(r"/dashboard/responses/questionnaires/\d+/$"))
