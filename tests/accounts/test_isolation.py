"""Bob, of another shop, can read or change nothing of Alice's."""

from kairos.accounts.models import ApiKey, Membership, SiteKey


def test_bob_cannot_edit_alices_site_key(alice, bob_client):
    key = SiteKey.objects.get(organization=alice.organization)
    response = bob_client.post(f"/settings/keys/site/{key.id}/", {"label": "mine"})
    assert response.status_code == 404
    key.refresh_from_db()
    assert key.label == "Default"


def test_bob_cannot_revoke_alices_api_key(alice, alice_key, bob_client):
    key = ApiKey.objects.get(organization=alice.organization)
    response = bob_client.post(f"/settings/keys/api/{key.id}/revoke/")
    assert response.status_code == 404
    assert ApiKey.objects.get(pk=key.pk).revoked_at is None


def test_bob_cannot_change_alices_members(alice, bob_client):
    membership = Membership.objects.get(user=alice)
    response = bob_client.post(f"/settings/users/{membership.id}/", {"remove": "1"})
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_bob_cannot_switch_into_alices_shop(alice, bob_client):
    response = bob_client.post(f"/settings/switch/{alice.organization.id}/")
    assert response.status_code == 404
    page = bob_client.get("/settings/keys/")
    assert alice.organization.site_keys.get().key not in page.content.decode()


def test_bob_sees_only_his_own_keys(alice, bob, alice_key, bob_client):
    page = bob_client.get("/settings/keys/").content.decode()
    assert bob.organization.site_keys.get().key in page
    assert alice.organization.site_keys.get().key not in page
    assert "alice key" not in page
