"""Login throttling (django-axes): a lock per account and per client address, refused
before the password is hashed, with a bilingual 429 page, expiring on time."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from conftest import PASSWORD
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client, override_settings

LIMIT = settings.LOGIN_FAILURE_LIMIT
LOCK = timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def attempt(client, password, username="alice@example.com"):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def hashings(monkeypatch):
    """Every password hash computed or checked, counted (the real hasher still runs)."""
    calls = []
    for name in ("encode", "verify"):
        real = getattr(MD5PasswordHasher, name)

        def counted(self, *args, _real=real, **kwargs):
            calls.append(1)
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(MD5PasswordHasher, name, counted)
    return calls


def test_100_wrong_passwords_lock_the_account_until_the_lock_expires(alice, clock):
    client = Client()
    answers = [attempt(client, f"guess {n}").status_code for n in range(100)]
    # The LIMIT-th wrong password is the one that locks: it is answered with the lock page.
    assert answers == [200] * (LIMIT - 1) + [429] * (100 - LIMIT + 1)
    assert attempt(client, PASSWORD).status_code == 429  # even the right password
    clock.shift(LOCK - timedelta(seconds=1))
    assert attempt(client, PASSWORD).status_code == 429
    clock.shift(timedelta(seconds=2))
    assert attempt(client, PASSWORD).status_code == 302  # signed in


def test_a_locked_attempt_is_refused_before_the_password_is_hashed(alice, clock, hashings):
    client = Client()
    attempt(client, "wrong")
    assert hashings, "an attempt that is not locked does check the password"
    for n in range(LIMIT):
        attempt(client, f"wrong {n}")
    hashings.clear()
    assert attempt(client, PASSWORD).status_code == 429
    assert attempt(client, "wrong again", username="nobody@example.com").status_code == 429
    assert hashings == []


def test_the_lock_page_says_why_and_when_in_both_languages(alice, clock):
    client = Client(headers={"Accept-Language": "el"})
    for n in range(LIMIT):
        attempt(client, f"wrong {n}")
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == str(int(LOCK.total_seconds()))
    page = response.content.decode()
    assert "Πάρα πολλές προσπάθειες" in page and f"{LOCK.seconds // 60} λεπτά" in page
    assert 'href="/accounts/login/"' in page and 'href="/accounts/password/reset/"' in page
    english = attempt(Client(headers={"Accept-Language": "en"}), PASSWORD)
    assert "Too many attempts" in english.content.decode()


def test_one_account_is_locked_whatever_address_the_guesses_come_from(alice, clock):
    for n in range(LIMIT):
        attempt(Client(REMOTE_ADDR=f"203.0.113.{n}"), "wrong")
    assert attempt(Client(REMOTE_ADDR="198.51.100.7"), PASSWORD).status_code == 429
    # Another account is not locked by alice's: the lock is per account.
    assert attempt(Client(REMOTE_ADDR="198.51.100.7"), "x", "bob@example.com").status_code == 200


def test_one_address_is_locked_whatever_accounts_it_tries(alice, clock):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(LIMIT - 1):
        assert attempt(client, "wrong", f"user{n}@example.com").status_code == 200
    assert attempt(client, "wrong", "last@example.com").status_code == 429
    assert attempt(client, PASSWORD).status_code == 429
    assert attempt(Client(REMOTE_ADDR="203.0.113.10"), PASSWORD).status_code == 302


def test_the_account_name_counts_whatever_its_case(alice, clock):
    for n in range(LIMIT):
        attempt(Client(REMOTE_ADDR=f"203.0.113.{n}"), "wrong", "ALICE@Example.com")
    assert attempt(Client(REMOTE_ADDR="198.51.100.7"), PASSWORD).status_code == 429


def test_a_forged_proxy_header_is_ignored_unless_the_operator_trusts_one(alice, clock):
    for n in range(LIMIT):
        forged = Client(headers={"X-Forwarded-For": f"192.0.2.{n}"})
        attempt(forged, "wrong", f"user{n}@example.com")
    assert attempt(Client(), PASSWORD).status_code == 429  # all counted as one address


@override_settings(CLIENT_ADDRESS_HEADER="X-Forwarded-For")
def test_behind_a_trusted_proxy_each_client_counts_on_its_own(alice, clock):
    # The proxy appends the address it saw; what the client wrote before it is ignored.
    for n in range(LIMIT):
        client = Client(headers={"X-Forwarded-For": f"10.9.9.9, 192.0.2.{n}"})
        attempt(client, "wrong", f"user{n}@example.com")
    honest = Client(headers={"X-Forwarded-For": "10.9.9.9, 192.0.2.200"})
    assert attempt(honest, PASSWORD).status_code == 302


def test_a_success_before_the_limit_signs_in(alice, clock):
    client = Client()
    for n in range(LIMIT - 1):
        attempt(client, f"wrong {n}")
    assert attempt(client, PASSWORD).status_code == 302
