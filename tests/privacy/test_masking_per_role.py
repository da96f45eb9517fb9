"""Masking holds for every role, everywhere a role can look: dashboard pages, API answers
and CSV downloads. A role without "view personal data" finds none of the customer's
identities in any of them; the roles that work with customers find them whole."""

import pytest
from privacy.helpers import MARIA, callback_campaign, customer_story

from kairos.accounts.roles import GRANTS, Permission, Role
from kairos.callbacks.models import CallbackRequest
from kairos.questionnaires.models import Response

WHOLE = [MARIA["email"], MARIA["phone_number"], MARIA["name"], "d-maria"]


def places(shop):
    """Every page, API answer and CSV a member may open that could show a customer."""
    response = Response.objects.filter(organization=shop).order_by("submitted_at").first()
    callback = CallbackRequest.objects.get(organization=shop)
    campaign = callback.campaign_id
    return {
        "pages": ["/", "/dashboard/responses/", f"/dashboard/responses/{response.pk}/",
                  "/dashboard/callbacks/", f"/dashboard/callbacks/{callback.pk}/",
                  f"/dashboard/campaigns/{campaign}/performance/", "/dashboard/reports/callbacks/"],
        "api": ["/api/v1/responses", f"/api/v1/responses/{response.pk}", "/api/v1/events",
                "/api/v1/callbacks", f"/api/v1/callbacks/{callback.pk}",
                f"/api/v1/callbacks/{callback.pk}/attempts",
                f"/api/v1/callbacks/{callback.pk}/comments",
                f"/api/v1/callbacks/{callback.pk}/history"],
        "csv": [f"/dashboard/campaigns/{campaign}/performance.csv",
                "/dashboard/campaigns/compare.csv"],
    }


def opened(client, shop):
    """{kind: text of every place this client may open}; refusals (403) are not shown."""
    seen = {}
    for kind, urls in places(shop).items():
        answers = [client.get(url, follow=True) for url in urls]
        assert {a.status_code for a in answers} <= {200, 403}, [
            (url, a.status_code) for url, a in zip(urls, answers, strict=True)]
        seen[kind] = "".join(text_of(a) for a in answers if a.status_code == 200)
    return seen


def text_of(answer):
    body = (b"".join(answer.streaming_content) if answer.streaming else answer.content)
    return body.decode()


@pytest.mark.parametrize("role", list(Role))
def test_masking_holds_per_role_in_pages_api_and_csv(alice, member_client, role):
    shop = alice.organization
    callback_campaign(shop)
    customer_story(shop)
    seen = opened(member_client(role), shop)
    everything = "".join(seen.values())
    if Permission.VIEW_PERSONAL_DATA in GRANTS[role]:
        assert MARIA["phone_number"] in everything, role  # they work with the customer
    else:
        for value in WHOLE:
            for kind, text in seen.items():
                assert value not in text, (role, kind, value)
        assert "m…@example.com" in seen["pages"], seen["pages"][-3000:]
        assert "m\\u2026@example.com" in seen["api"]
    for value in WHOLE:  # figures only in every CSV, whoever downloads it
        assert value not in seen["csv"], (role, value)
    if Permission.VIEW_REPORTS in GRANTS[role]:
        assert seen["csv"].startswith("date,impressions"), role
