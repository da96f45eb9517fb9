"""A new member gets an invitation of their own: the shop, who invited them, as what, and a
link to choose a password, in the shop's language and then the other; not Django's
password-reset mail."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kairos.accounts.roles import Role

USERS = "/settings/users/"


@pytest.fixture
def named_alice(alice):
    alice.first_name, alice.last_name = "Alice", "Liddell"
    alice.save()
    return alice


def test_the_invitation_names_the_shop_and_who_invited_in_both_languages(
        named_alice, alice_client, mailoutbox):
    shop = named_alice.organization  # a Greek shop: Greek first
    alice_client.post(USERS, {"email": "carol@example.com", "role": Role.AGENT})
    [mail] = mailoutbox
    assert mail.to == ["carol@example.com"]
    assert mail.subject == (
        f"Ο/Η Alice Liddell σας προσκάλεσε στο κατάστημα {shop.name} στο Kairos / "
        f"Alice Liddell invited you to {shop.name} on Kairos")
    greek, english = mail.body.split("—" * 20)
    assert f"Alice Liddell invited you to join {shop.name} on Kairos as Agent." in english
    assert "Choose your password to start (the link works for 3 days)" in english
    assert f"{shop.name}" in greek and "Επιλέξτε τον κωδικό σας" in greek
    assert "password reset" not in mail.body.lower() and "requested" not in mail.body


def test_the_link_lets_the_new_member_choose_a_password_and_log_in(
        named_alice, alice_client, mailoutbox):
    alice_client.post(USERS, {"email": "carol@example.com", "role": Role.AGENT})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mailoutbox[0].body)[1]
    browser = Client()
    form_page = browser.get(link, follow=True)
    password = "a long new pass phrase 42"
    browser.post(form_page.redirect_chain[-1][0], {"new_password1": password,
                                                   "new_password2": password})
    assert get_user_model().objects.get(email="carol@example.com").check_password(password)


def test_someone_with_an_account_is_told_to_log_in(alice, bob, alice_client, mailoutbox):
    alice_client.post(USERS, {"email": bob.email, "role": Role.REPORTING})
    [mail] = mailoutbox
    assert "http://testserver/accounts/login/" in mail.body and "password/reset" not in mail.body


def test_adding_a_member_twice_sends_one_invitation(alice, alice_client, mailoutbox):
    for _attempt in range(2):
        alice_client.post(USERS, {"email": "carol@example.com", "role": Role.AGENT})
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("weak", ["P", "12345678901", "password123", "carol@example.com"])
def test_the_invitation_link_refuses_a_weak_password(alice, alice_client, mailoutbox, weak):
    # Django's validators (AUTH_PASSWORD_VALIDATORS) guard this form too (issue 13).
    alice_client.post(USERS, {"email": "carol@example.com", "role": Role.AGENT})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mailoutbox[0].body)[1]
    browser = Client()
    form_page = browser.get(link, follow=True)
    refused = browser.post(form_page.redirect_chain[-1][0], {"new_password1": weak,
                                                             "new_password2": weak})
    assert refused.status_code == 200 and refused.context["form"].errors["new_password2"]
    assert not get_user_model().objects.get(email="carol@example.com").check_password(weak)
