from kairos.accounts.models import ApiKey, SiteKey, hash_secret


def test_it_shows_a_new_api_key_once_and_stores_only_its_hash(alice, alice_client):
    response = alice_client.post("/settings/keys/", {"create_api_key": "1", "api-name": "ERP",
                                                      "api-role": "admin"})
    secret = response.context["new_secret"]
    assert secret.startswith("sk_")
    assert secret in response.content.decode()
    key = ApiKey.objects.get(name="ERP")
    assert key.hashed_key == hash_secret(secret) and secret not in key.hashed_key
    again = alice_client.get("/settings/keys/").content.decode()
    assert secret not in again and key.prefix in again


def test_an_api_key_authenticates_and_records_its_last_use(alice, alice_key):
    key = ApiKey.authenticate(alice_key)
    assert key.organization == alice.organization
    assert ApiKey.objects.get(pk=key.pk).last_used_at is not None


def test_a_revoked_key_no_longer_authenticates(alice, alice_key, alice_client):
    key = ApiKey.objects.get(organization=alice.organization)
    alice_client.post(f"/settings/keys/api/{key.id}/revoke/")
    assert ApiKey.authenticate(alice_key) is None


def test_it_creates_a_site_key_with_allowed_origins(alice, alice_client):
    alice_client.post("/settings/keys/", {"create_site_key": "1", "site-label": "Shop",
                                          "site-allowed_origins": "https://shop.example.com/",
                                          "site-active": "on"})
    key = SiteKey.objects.get(label="Shop")
    assert key.key.startswith("pk_")
    assert key.allows_origin("https://shop.example.com")
    assert not key.allows_origin("https://evil.example.com")


def test_it_refuses_an_origin_that_is_not_an_origin(alice, alice_client):
    response = alice_client.post("/settings/keys/", {
        "create_site_key": "1", "site-label": "Bad",
        "site-allowed_origins": "shop.example.com/path"})
    assert response.status_code == 200
    assert "allowed_origins" in response.context["site_key_form"].errors
    assert not SiteKey.objects.filter(label="Bad").exists()
