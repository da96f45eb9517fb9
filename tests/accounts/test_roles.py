import pytest

from kairos.accounts.models import Membership
from kairos.accounts.roles import Permission, Role, can


@pytest.mark.parametrize("role,status", [
    (Role.OWNER, 200), (Role.ADMIN, 200), (Role.CAMPAIGN_MANAGER, 403),
    (Role.REPORTING, 403), (Role.AGENT, 403),
])
def test_only_owners_and_admins_open_settings(member_client, role, status):
    assert member_client(role).get("/settings/keys/").status_code == status


def test_every_role_but_the_agent_sees_home(member_client):
    for role in set(Role.values) - {Role.AGENT}:
        assert member_client(role).get("/dashboard/").status_code == 200


def test_an_agent_lands_on_the_callbacks_queue(member_client):
    assert member_client(Role.AGENT).get("/dashboard/").url == "/dashboard/callbacks/"


def test_the_navigation_shows_an_agent_only_callbacks(member_client):
    page = member_client(Role.AGENT).get("/dashboard/callbacks/")
    labels = [str(item.label) for item in page.context["nav_items"]]
    assert "Settings" not in labels and "Segments" not in labels


def test_an_admin_cannot_grant_the_owner_role(alice, member_client):
    client = member_client(Role.ADMIN)
    admin_membership = Membership.objects.get(user__username="admin@example.com")
    client.post(f"/settings/users/{admin_membership.id}/", {"role": Role.OWNER})
    admin_membership.refresh_from_db()
    assert admin_membership.role == Role.ADMIN


def test_the_last_owner_cannot_be_demoted(alice, alice_client):
    membership = Membership.objects.get(user=alice)
    alice_client.post(f"/settings/users/{membership.id}/", {"role": Role.AGENT})
    membership.refresh_from_db()
    assert membership.role == Role.OWNER


def test_an_owner_adds_a_member_who_gets_an_invitation(alice, alice_client, mailoutbox):
    alice_client.post("/settings/users/", {"email": "Carol@Example.com", "role": Role.AGENT})
    membership = Membership.objects.get(user__email="carol@example.com")
    assert membership.role == Role.AGENT and membership.organization == alice.organization
    assert len(mailoutbox) == 1 and "carol@example.com" in mailoutbox[0].to


def test_who_works_callbacks_may_see_personal_data():
    """The queue, the customer card and the callbacks CSV are unmasked by design: a role
    that calls customers must be one that may read their data."""
    for role in Role:
        if can(role, Permission.WORK_CALLBACKS):
            assert can(role, Permission.VIEW_PERSONAL_DATA), role
