"""Rules of the house that every future route and setting must keep."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent
# Routes an anonymous visitor may use: signing in, the public widget API, documentation.
PUBLIC = re.compile(
    r"^(accounts/(login|logout|password/reset)|admin/(login|logout)|i18n/|healthz|api/public/|widget\.js|demo/"
    r"|api/v1/(openapi\.json|docs)|static/|$)"
)
SAMPLE_ARGUMENTS = {
    "int": "1", "str": "x", "slug": "x", "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000001",
}


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def concrete(route):
    route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_ARGUMENTS[m.group(1) or "str"], route)
    return "/" + route.lstrip("^").rstrip("$").replace("\\Z", "")


def private_routes():
    routes = sorted(set(walk(get_resolver().url_patterns)))
    # Regular-expression routes (the admin's catch-alls) cannot be filled in generically.
    plain = [r for r in routes if "(?P" not in r]
    return [concrete(r) for r in plain if not PUBLIC.match(r.lstrip("^"))]


def test_there_are_private_routes_to_check(db):
    assert len(private_routes()) > 10


@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_every_private_route_refuses_anonymous_requests(db, method):
    client = Client()
    for url in private_routes():
        response = getattr(client, method)(url)
        assert response.status_code in (302, 401, 403, 404, 405), (url, response.status_code)
        if response.status_code == 302:
            assert "login" in response["Location"], (url, response["Location"])


def settings_read_from_environment():
    tree = ast.parse((ROOT / "src/kairos/settings.py").read_text())
    readers = {"env", "env_bool", "env_list"}
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in readers
        and node.args and isinstance(node.args[0], ast.Constant)
    }


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    names = settings_read_from_environment()
    assert {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "TIME_ZONE"} <= names
    undocumented = sorted(name for name in names if f"`{name}`" not in readme)
    assert undocumented == []


def test_the_default_secret_key_is_refused_when_debug_is_off(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DATA_DIR": str(tmp_path), "DEBUG": "0",
           "DJANGO_SETTINGS_MODULE": "kairos.settings", "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"],
                            env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_database_is_tuned_for_concurrent_writers(db):
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        assert connection.settings_dict["OPTIONS"]["timeout"] >= 5
    else:
        assert connection.vendor == "postgresql"
        assert connection.Database.__name__ == "psycopg"  # psycopg 3, not psycopg2
        with connection.cursor() as cursor:  # no JIT compiling of the dashboard's queries
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"


def test_the_models_need_no_migration_that_is_not_committed(db):
    from django.core.management import call_command

    # Exits 1 (SystemExit) when a model changed without its migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
