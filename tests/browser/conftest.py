"""Browser tests: a live Kairos server and the system Chromium driven by Playwright.

Fixtures: `page` (a Chromium page, the live server running), `log_in` (log_in(user)
signs in through the real login form) and `screenshot` (screenshot("name.png")).
Playwright's own browser download does not work here, so the system Chromium is used.
"""


import pytest
from browser.pictures import save_screenshot
from conftest import PASSWORD
from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 10_000


@pytest.fixture
def page(live_server, transactional_db, monkeypatch):
    """A fresh Chromium page; the live server sees the test's committed data.

    Playwright's sync API keeps an event loop running in this thread, and Django refuses
    ORM calls beside a running loop; the test's own ORM calls (seeding, checking) are
    plain synchronous code, so they are allowed for the duration of the test only. The
    browser is started per test so that no loop outlives it into other tests.
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        new_page = context.new_page()
        script_errors = []
        new_page.on("pageerror", lambda error: script_errors.append(error))
        yield new_page
        context.close()
        browser.close()
    # A page whose JavaScript threw is broken even when the assertions happened to pass.
    assert not script_errors, f"JavaScript errors: {script_errors}"


@pytest.fixture
def log_in(page, live_server):
    """log_in(user): sign in through the real login form, as a person would."""

    def sign_in(user, password=PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("input[name=username]").fill(user.email)
        page.locator("input[name=password]").fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(f"{live_server.url}/dashboard/")

    return sign_in


@pytest.fixture
def screenshot(page):
    """screenshot(name): a full-page picture in test-artifacts/ (git-ignored) for people."""

    def save(name, docs_name=None):
        return save_screenshot(page, name, docs_name, full_page=True)

    return save
