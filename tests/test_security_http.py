"""The security headers and login throttling, over real HTTP from `kairos serve` (issue 13).

Headers are what a browser and a proxy act on, so they are read off the production
server's wire rather than off Django's test client.
"""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import PASSWORD
from django.conf import settings
from django.test import Client
from production_server import production_server

from kairos.accounts.models import ApiKey


def fetch(url, cookie=None, **headers):
    """(status, headers, body text) of a GET."""
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers, answer.read().decode(errors="replace")
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers, refused.read().decode(errors="replace")


@pytest.fixture
def session_cookie(transactional_db, alice):
    client = Client()
    client.force_login(alice)
    return f"sessionid={client.cookies['sessionid'].value}"


@pytest.fixture
def server(transactional_db):
    # Behind a TLS-terminating proxy, with HSTS set as the README tells an operator to.
    # The test's SECRET_KEY: the server must accept the session the test signed in.
    with production_server(workers=1, threads=1, BEHIND_PROXY="1", SECURE_COOKIES="1",
                           SECURE_HSTS_SECONDS="31536000", SECRET_KEY=settings.SECRET_KEY) as url:
        yield url


def test_signed_in_pages_are_strictly_confined_and_never_cached(server, session_cookie):
    status, headers, page = fetch(f"{server}/settings/keys/", session_cookie)
    assert status == 200 and "API keys" in page
    policy = headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy)[1]
    assert "'self'" in script_src and "'nonce-" in script_src
    assert "unsafe" not in script_src and "http" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert headers["Cache-Control"] == "no-store"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    # Each answer has its own nonce: one seen on a page cannot be reused on the next.
    _status, again, _page = fetch(f"{server}/settings/keys/", session_cookie)
    assert again["Content-Security-Policy"] != policy


def test_every_signed_in_page_and_api_answer_says_no_store(server, session_cookie, alice):
    for path in ("/dashboard/", "/dashboard/segments/", "/dashboard/campaigns/",
                 "/dashboard/responses/", "/settings/", "/settings/users/"):
        status, headers, _page = fetch(f"{server}{path}", session_cookie)
        assert (status, headers["Cache-Control"]) == (200, "no-store"), path
        assert "Content-Security-Policy" in headers, path
    _key, secret = ApiKey.issue(alice.organization, "CRM")
    status, headers, _body = fetch(f"{server}/api/v1/events",
                                   Authorization=f"Bearer {secret}")
    assert status == 200 and headers["Cache-Control"] == "no-store"


def test_hsts_and_secure_cookies_only_over_https(server):
    _status, plain, _page = fetch(f"{server}/accounts/login/")
    assert "Strict-Transport-Security" not in plain
    _status, secure, _page = fetch(f"{server}/accounts/login/", **{"X-Forwarded-Proto": "https"})
    assert secure["Strict-Transport-Security"] == "max-age=31536000"
    assert "Content-Security-Policy" in secure
    # SECURE_COOKIES: the CSRF cookie (and, once signed in, the session's) only over HTTPS.
    csrf_cookie = next(c for c in secure.get_all("Set-Cookie") if c.startswith("csrftoken="))
    assert "; Secure" in csrf_cookie


def test_the_api_docs_load_nothing_from_another_origin(server):
    status, headers, page = fetch(f"{server}/api/v1/docs")
    assert status == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(source.startswith("/static/") for source in sources), sources
    for source in sources:
        assert fetch(f"{server}{source}")[0] == 200, source
    assert "Content-Security-Policy" in headers


def sign_in(url, password, address):
    """The status of one sign-in through the real form, as a browser sends it."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar),
                                         NoRedirect())
    opener.open(f"{url}/accounts/login/", timeout=60).read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    form = urllib.parse.urlencode({"username": "alice@example.com", "password": password,
                                   "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(f"{url}/accounts/login/", form,
                                     headers={"X-Forwarded-For": address})
    try:
        with opener.open(request, timeout=60) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_after_five_wrong_passwords_even_the_right_one_is_refused(transactional_db, alice):
    with production_server(workers=1, threads=1, CLIENT_ADDRESS_HEADER="X-Forwarded-For",
                           LOGIN_FAILURE_LIMIT="5") as url:
        # From five addresses (behind the operator's proxy): the account is what is locked.
        wrong = [sign_in(url, "wrong", f"192.0.2.{n}") for n in range(5)]
        # The form again with its error, and the fifth wrong one is answered with the lock.
        assert wrong == [200] * 4 + [429]
        assert sign_in(url, PASSWORD, "198.51.100.1") == 429
