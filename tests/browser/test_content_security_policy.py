"""The dashboard works under its strict Content-Security-Policy, and the API docs work
offline (issue 13): a real browser reports every blocked script or style."""

from playwright.sync_api import expect

PAGES = ["/dashboard/", "/dashboard/segments/new/", "/dashboard/campaigns/",
         "/dashboard/campaigns/types/", "/dashboard/responses/", "/dashboard/callbacks/",
         "/dashboard/reports/callbacks/", "/settings/", "/settings/keys/", "/settings/users/",
         "/settings/webhooks/"]


def collect_violations(page):
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    return violations


def test_no_dashboard_page_breaks_its_policy(page, live_server, log_in, alice):
    violations = collect_violations(page)
    log_in(alice)
    for path in PAGES:
        answer = page.goto(f"{live_server.url}{path}")
        assert answer.status == 200, path
        assert "script-src 'self' 'nonce-" in answer.headers["content-security-policy"]
    assert violations == []


def test_the_api_docs_render_from_kairos_own_files(page, live_server):
    violations = collect_violations(page)
    elsewhere = []
    page.on("request", lambda request: elsewhere.append(request.url)
            if not request.url.startswith(live_server.url) and
            not request.url.startswith("data:") else None)
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Kairos admin API")
    expect(page.locator(".opblock").first).to_be_visible()
    assert elsewhere == [] and violations == []
