"""Shared fixtures: alice and bob own two different shops, and must never meet."""

import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from kairos.accounts.models import ApiKey
from kairos.accounts.roles import Role
from kairos.accounts.services import add_membership, create_organization, ensure_user

PASSWORD = "correct horse battery staple"

# Every test creates users, and the production hasher's million PBKDF2 rounds made password
# hashing most of the suite's time. Hashes made here are only checked in this process (the
# live server runs in a thread of it).
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings, tmp_path):
    """Each test counts the public API's requests afresh (the counts live outside the
    database, so its rollback would not reset them)."""
    settings.RATE_LIMIT_FILE = tmp_path / "rate-limits.sqlite3"


@pytest.fixture(scope="session", autouse=True)
def clock_really_moved():
    """In CI's "year ahead" run (faketime), prove the clock this suite reads did move:
    files keep their real modification times, so the checkout looks a year old."""
    days = int(os.environ.get("KAIROS_CLOCK_AHEAD_DAYS", "0"))
    if days:
        checked_out = (Path(__file__).parent.parent / "pyproject.toml").stat().st_mtime
        assert time.time() - checked_out > (days - 1) * 86400, "the clock did not move"


def make_member(email, shop_name, role=Role.OWNER):
    user = ensure_user(email, PASSWORD)
    organization = create_organization(shop_name, country="GR", time_zone="Europe/Athens")
    add_membership(user, organization, role)
    return user, organization


@pytest.fixture
def alice(db):
    user, organization = make_member("alice@example.com", "Alice Shop")
    user.organization = organization
    return user


@pytest.fixture
def bob(db):
    user, organization = make_member("bob@example.com", "Bob Shop")
    user.organization = organization
    return user


@pytest.fixture
def alice_client(alice):
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(bob):
    client = Client()
    client.force_login(bob)
    return client


@pytest.fixture
def alice_key(alice):
    """Alice's secret API key (the plain secret)."""
    _key, secret = ApiKey.issue(alice.organization, "alice key")
    return secret


@pytest.fixture
def alice_api(alice_key):
    return Client(headers={"Authorization": f"Bearer {alice_key}"})


@pytest.fixture
def bob_api(bob):
    _key, secret = ApiKey.issue(bob.organization, "bob key")
    return Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def member_client(alice):
    """A client signed in as a new member of Alice's shop with the given role."""

    def sign_in(role):
        user = ensure_user(f"{role}@example.com", PASSWORD)
        add_membership(user, alice.organization, role)
        client = Client()
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def default_language():
    """A request in Greek leaves Greek active in the thread (LocaleMiddleware): each test
    starts in the default language, whatever ran before it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def forget_process_caches():
    """In-process caches outlive a test's rolled-back transaction: start each test cold."""
    from django.core.cache import cache

    from kairos.campaigns.capacity import forget_open_callbacks
    from kairos.questionnaires import services

    services._known_fields.clear()
    forget_open_callbacks()
    cache.clear()  # Django's (a campaign's kept overlap with its rivals)
    yield


@pytest.fixture(autouse=True)
def forget_compiled_campaigns():
    from kairos.campaigns.configuration import forget_compiled_configurations

    forget_compiled_configurations()
    yield


@pytest.fixture(autouse=True)
def forget_resolved_shops():
    from kairos.integrations.site_keys import forget_shops

    forget_shops()
    yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Close connections after each request: live-server threads must not keep sessions
    open, or PostgreSQL refuses to drop the test database at the end."""
    from django.conf import settings

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


@pytest.fixture(scope="session", autouse=True)
def end_stray_database_sessions(django_db_setup, django_db_blocker):
    """pytest-django stops the session's live server only after dropping the test
    database; on PostgreSQL its threads' sessions would make the drop fail."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()")
