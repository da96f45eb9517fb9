from conftest import PASSWORD
from django.test import Client


def test_a_user_logs_in_and_reaches_the_dashboard(alice):
    client = Client()
    response = client.post("/accounts/login/", {"username": "alice@example.com",
                                                "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/dashboard/"
    assert "Alice Shop" in response.content.decode()


def test_a_wrong_password_is_refused_with_a_message(alice):
    response = Client().post("/accounts/login/", {"username": "alice@example.com",
                                                  "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_logout_ends_the_session(alice_client):
    alice_client.post("/accounts/logout/")
    assert alice_client.get("/dashboard/").status_code == 302


def test_password_change_works(alice, alice_client):
    response = alice_client.post("/accounts/password/change/", {
        "old_password": PASSWORD, "new_password1": "a much better passphrase 42",
        "new_password2": "a much better passphrase 42"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a much better passphrase 42")


def test_password_reset_sends_a_link(alice, mailoutbox):
    Client().post("/accounts/password/reset/", {"email": "alice@example.com"})
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/" in mailoutbox[0].body


def test_the_dashboard_speaks_greek(alice_client):
    alice_client.post("/i18n/setlang/", {"language": "el", "next": "/dashboard/"})
    page = alice_client.get("/dashboard/").content.decode()
    assert 'lang="el"' in page and "Αποσύνδεση" in page
