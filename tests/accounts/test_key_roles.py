"""A key never carries more than the person who creates it (issue 13)."""

import pytest

from kairos.accounts.models import ApiKey
from kairos.accounts.roles import Role, may_hand_out
from kairos.errors import PermissionDenied


def create_key(client, role):
    return client.post("/settings/keys/", {"create_api_key": "1", "api-name": "CRM",
                                           "api-role": role})


def test_an_admin_is_not_offered_an_owner_key(alice, member_client):
    page = member_client(Role.ADMIN).get("/settings/keys/")
    offered = dict(page.context["api_key_form"].fields["role"].choices)
    assert Role.OWNER not in offered and Role.ADMIN in offered and Role.AGENT in offered


def test_an_admin_asking_for_an_owner_key_is_refused_with_a_reason(alice, member_client):
    page = create_key(member_client(Role.ADMIN), Role.OWNER)
    assert page.status_code == 200 and page.context["new_secret"] is None
    assert "cannot carry more than its creator" in page.content.decode()
    assert not ApiKey.objects.filter(role=Role.OWNER).exists()


def test_the_refusal_is_in_greek_too(alice, member_client):
    client = member_client(Role.ADMIN)
    page = client.post("/settings/keys/", {"create_api_key": "1", "api-name": "CRM",
                                           "api-role": Role.OWNER},
                       HTTP_ACCEPT_LANGUAGE="el")
    assert "Ένα κλειδί δεν μπορεί" in page.content.decode()


def test_an_owner_may_create_an_owner_key(alice, alice_client):
    page = create_key(alice_client, Role.OWNER)
    assert page.context["new_secret"].startswith("sk_")
    assert ApiKey.objects.get().role == Role.OWNER


def test_issuing_refuses_a_key_above_its_creator_whatever_the_caller(alice):
    with pytest.raises(PermissionDenied):
        ApiKey.issue(alice.organization, "CRM", role=Role.OWNER, creator_role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        ApiKey.issue(alice.organization, "CRM", role=Role.CAMPAIGN_MANAGER,
                     creator_role=Role.REPORTING)
    assert not ApiKey.objects.exists()


@pytest.mark.parametrize("giver", Role.values)
def test_nobody_hands_out_more_than_they_hold(giver):
    from kairos.accounts.roles import GRANTS
    for role in Role.values:
        assert may_hand_out(giver, role) == (GRANTS[role] <= GRANTS[giver])
    assert may_hand_out(giver, giver)
