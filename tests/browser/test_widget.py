"""The widget on the demo shop's thank-you page, in a real Chromium, against a live Kairos.

Each test builds the demo shop (its site key allows the live server's origin), a detractors
segment and, where it matters, a callback campaign capped at one per customer per day.
"""

import http.server
import json
import re
import threading

import pytest
from browser.pictures import save_screenshot
from playwright.sync_api import expect

from kairos.callbacks.models import CallbackRequest
from kairos.campaigns.models import Action, Impression
from kairos.campaigns.services import create_campaign
from kairos.campaigns.types import CAMPAIGN_TYPES
from kairos.demo import DEMO_EMAIL, DEMO_PASSWORD, build_demo_shop
from kairos.questionnaires.models import Response
from kairos.segments.models import Segment

pytestmark = pytest.mark.browser

DETRACTORS = {"all": [{"field": "answers.nps", "op": "between", "value": [0, 6]}]}
NPS_LABEL = re.compile("recommend us|να μας προτείνετε")
SEND = re.compile("^(Send|Αποστολή)$")
HOSTILE_MARKUP = "<img src=x onerror=alert(1)>"


# ---- fixtures and helpers ------------------------------------------------------------

@pytest.fixture
def shop(live_server, transactional_db):
    demo = build_demo_shop(site_url=live_server.url)
    demo.sample_ids = set(Response.objects.values_list("pk", flat=True))
    return demo


def new_responses(shop):
    """The responses of this test (the demo shop comes with thousands of samples)."""
    return Response.objects.exclude(pk__in=shop.sample_ids)


def add_campaign(shop, campaign_type="callback_request", title="Detractors — checkout",
                 **fields):
    segment = Segment.objects.create(organization=shop.organization, name="Detractors",
                                     conditions=DETRACTORS)
    return create_campaign(shop.organization, {
        "type": campaign_type, "title": title, "active": True,
        "frequency_cap_minutes": 1440, **fields}, [segment.pk])


@pytest.fixture
def callback_campaign(shop):
    return add_campaign(shop)


@pytest.fixture
def no_dialogs(page):
    """Any alert() is an injected script running: the test fails."""
    dialogs = []

    def refuse(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    yield dialogs
    assert dialogs == []


def widget(page):
    return page.locator("kairos-widget")


def open_demo(page, live_server, query=""):
    page.goto(f"{live_server.url}/demo/{query}")
    expect(widget(page).get_by_role("radiogroup", name=NPS_LABEL)).to_be_visible()


def answer_nps(page, score):
    group = widget(page).get_by_role("radiogroup", name=NPS_LABEL)
    group.get_by_role("radio", name=str(score), exact=True).click()
    widget(page).get_by_role("button", name=SEND).click()


def fill_callback(page, phone, note="Please call about A-1001 (widget test)"):
    box = widget(page)
    box.get_by_label("Phone number").fill(phone)
    box.get_by_label("When should we call?").select_option("morning")
    box.get_by_label("Anything we should know? (optional)").fill(note)
    box.get_by_label("I agree to be called about my order.").check()
    box.get_by_role("button", name="Call me back").click()


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(DEMO_EMAIL)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/")


def post_bodies(page, path_part):
    """The JSON bodies of the widget's POSTs whose URL contains path_part, as they go."""
    bodies = []
    page.on("request", lambda r: bodies.append(json.loads(r.post_data))
            if r.method == "POST" and path_part in r.url else None)
    return bodies


# ---- the reference flow ----------------------------------------------------------------

def test_a_detractor_asks_for_a_callback_and_the_team_sees_it(
        page, live_server, shop, callback_campaign, no_dialogs):
    open_demo(page, live_server)
    answer_nps(page, 3)
    box = widget(page)
    expect(box.get_by_role("heading", name="We're sorry we let you down")).to_be_visible()
    # The customer's phone from the shop's metadata is already there.
    expect(box.get_by_label("Phone number")).to_have_value("+306941234567")

    # Client-side: an implausible number and no consent are refused before any request.
    actions = post_bodies(page, "/actions")
    box.get_by_label("Phone number").fill("12")
    box.get_by_role("button", name="Call me back").click()
    expect(box.get_by_text("Please enter a valid phone number.")).to_be_visible()
    expect(box.get_by_text("Please tick this box so that we may call you.")).to_be_visible()
    assert actions == []

    # Server-side: plausible but not a real number; the server's 422 shows at the field.
    fill_callback(page, "+30 123 4567")
    expect(box.get_by_text("not a valid phone number")).to_be_visible()
    expect(box.get_by_label("Phone number")).to_have_attribute("aria-invalid", "true")
    assert CallbackRequest.objects.count() == 0

    fill_callback(page, "694 412 3456")
    expect(box.get_by_text("Thank you! We will call you soon.")).to_be_visible()
    callback = CallbackRequest.objects.get()
    assert callback.phone_number == "+306944123456"
    assert callback.preferred_time == "morning"
    assert callback.note == "Please call about A-1001 (widget test)"
    assert callback.campaign == callback_campaign
    assert callback.response.email == "maria@example.com"
    assert callback.response.transaction_id == "A-1001"
    assert len({body["idempotency_key"] for body in actions}) == 1

    sign_in(page, live_server)
    listing = page.goto(f"{live_server.url}/dashboard/callbacks/")
    if listing.status == 404:
        # The dashboard's callbacks inbox is not built yet: the admin API shows the same.
        data = page.request.get(f"{live_server.url}/api/v1/callbacks").json()
        assert [item["phone_number"] for item in data["items"]] == ["+306944123456"]
        assert data["items"][0]["note"] == "Please call about A-1001 (widget test)"
    else:
        expect(page.get_by_text("Please call about A-1001 (widget test)")).to_be_visible()


def test_a_promoter_gets_a_plain_thank_you(page, live_server, shop, callback_campaign):
    open_demo(page, live_server)
    answer_nps(page, 10)
    expect(widget(page).get_by_text("Thank you for your feedback!")).to_be_visible()
    expect(widget(page).get_by_label("Phone number")).to_have_count(0)
    assert new_responses(shop).get().nps == 10
    assert Impression.objects.count() == 0


def test_the_widget_names_the_campaign_types_it_can_show(page, live_server, shop):
    sent = post_bodies(page, "/api/public/v1/responses")
    open_demo(page, live_server)
    answer_nps(page, 10)
    expect(widget(page).get_by_text("Thank you for your feedback!")).to_be_visible()
    assert sorted(sent[0]["campaign_types"]) == sorted(CAMPAIGN_TYPES)


def test_the_same_customer_is_not_asked_twice_within_the_cap(
        page, live_server, shop, callback_campaign):
    open_demo(page, live_server)
    answer_nps(page, 3)
    expect(widget(page).get_by_label("Phone number")).to_be_visible()
    device = page.evaluate("localStorage.getItem('kairos:device')")
    assert device.startswith("d-")

    page.reload()
    expect(widget(page).get_by_role("radiogroup", name=NPS_LABEL)).to_be_visible()
    answer_nps(page, 2)
    expect(widget(page).get_by_text("Thank you for your feedback!")).to_be_visible()
    expect(widget(page).get_by_label("Phone number")).to_have_count(0)
    assert Impression.objects.count() == 1
    assert list(new_responses(shop).values_list("device_id", flat=True)) == [device, device]


def test_campaign_texts_are_shown_as_text(page, live_server, shop, no_dialogs):
    add_campaign(shop, title=f"Detractors {HOSTILE_MARKUP}", content={
        "headline": {"en": f"Sorry {HOSTILE_MARKUP}", "el": HOSTILE_MARKUP},
        "message": {"en": f"<b>bold</b> {HOSTILE_MARKUP}", "el": HOSTILE_MARKUP}})
    open_demo(page, live_server)
    answer_nps(page, 1)
    box = widget(page)
    expect(box.get_by_role("heading", name=f"Sorry {HOSTILE_MARKUP}")).to_be_visible()
    expect(box.get_by_text(f"<b>bold</b> {HOSTILE_MARKUP}")).to_be_visible()
    expect(box.locator("img")).to_have_count(0)
    expect(box.locator("b")).to_have_count(0)
    page.wait_for_timeout(300)  # an onerror handler would have fired by now


def test_hostile_page_styles_do_not_break_the_widget(page, live_server, shop, callback_campaign):
    open_demo(page, live_server, "?hostile=1")
    expect(page.get_by_role("heading", name="Order A-1001 confirmed")).to_be_hidden()
    box = widget(page)
    heading = box.get_by_role("heading", name="Thank you for your order!")
    expect(heading).to_be_visible()
    assert heading.evaluate("el => getComputedStyle(el).fontSize") == "17px"
    three = box.get_by_role("radiogroup", name=NPS_LABEL).get_by_role("radio", name="3",
                                                                       exact=True)
    size = three.bounding_box()
    assert 20 <= size["width"] <= 60 and size["height"] == 40
    host = page.locator("kairos-widget").bounding_box()
    assert host["x"] + host["width"] <= 1280 and host["width"] <= 380

    answer_nps(page, 3)
    fill_callback(page, "6944123456")
    expect(box.get_by_text("Thank you! We will call you soon.")).to_be_visible()
    assert CallbackRequest.objects.count() == 1
    save_screenshot(page, "widget-hostile.png")


def test_a_greek_page_gets_greek_texts(page, live_server, shop, callback_campaign):
    page.goto(f"{live_server.url}/demo/?lang=el")
    box = widget(page)
    expect(box.get_by_role("heading", name="Ευχαριστούμε για την παραγγελία σας!")).to_be_visible()
    expect(box.get_by_text("Πόσο πιθανό είναι να μας προτείνετε σε έναν φίλο;")).to_be_visible()
    expect(box.get_by_text("0 – Καθόλου πιθανό")).to_be_visible()
    box.get_by_role("button", name="Αποστολή").click()
    expect(box.get_by_text("Παρακαλούμε απαντήστε σε αυτή την ερώτηση.")).to_be_visible()

    answer_nps(page, 4)
    expect(box.get_by_role("heading", name="Λυπούμαστε που σας απογοητεύσαμε")).to_be_visible()
    box.get_by_label("Αριθμός τηλεφώνου").fill("6944123456")
    box.get_by_label("Πότε να σας καλέσουμε;").select_option(label="Πρωί (09:00–12:00)")
    box.get_by_label("Συμφωνώ να με καλέσετε σχετικά με την παραγγελία μου.").check()
    box.get_by_role("button", name="Καλέστε με").click()
    expect(box.get_by_text("Ευχαριστούμε! Θα σας καλέσουμε σύντομα.")).to_be_visible()
    assert new_responses(shop).get().locale == "el"
    callback = CallbackRequest.objects.get()
    assert callback.consent_text == "Συμφωνώ να με καλέσετε σχετικά με την παραγγελία μου."


def test_the_whole_flow_works_on_a_phone(page, live_server, shop, callback_campaign):
    page.set_viewport_size({"width": 375, "height": 812})
    open_demo(page, live_server)
    box = widget(page)
    box.scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    radios = box.get_by_role("radiogroup", name=NPS_LABEL).get_by_role("radio")
    first, last = radios.first.bounding_box(), radios.last.bounding_box()
    assert first["y"] == last["y"], "0 to 10 stay on one row"
    assert last["x"] + last["width"] <= 375

    answer_nps(page, 5)
    expect(box.get_by_role("heading", name="We're sorry we let you down")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    box.get_by_label("Phone number").fill("694 412 3456")
    box.get_by_label("When should we call?").select_option("morning")
    page.evaluate("""document.querySelector('kairos-widget').shadowRoot
        .querySelector('h2').scrollIntoView({block: 'start'})""")
    page.evaluate("window.scrollBy(0, -16)")
    box.get_by_label("Phone number").blur()
    save_screenshot(page, "widget-phone.png", "widget-phone.png")
    fill_callback(page, "6944123456")
    expect(box.get_by_text("Thank you! We will call you soon.")).to_be_visible()
    assert CallbackRequest.objects.count() == 1


def test_the_questionnaire_fits_a_320_pixel_screen(page, live_server, shop):
    page.set_viewport_size({"width": 320, "height": 640})
    open_demo(page, live_server, "?mode=floating")
    save_screenshot(page, "widget-320-floating.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    host = widget(page).bounding_box()
    assert host["x"] >= 0 and host["x"] + host["width"] <= 320
    last = widget(page).get_by_role("radiogroup", name=NPS_LABEL).get_by_role("radio").last
    box = last.bounding_box()
    assert box["x"] + box["width"] <= 320


def test_desktop_screenshot(page, live_server, shop, callback_campaign):
    open_demo(page, live_server)
    widget(page).get_by_role("radiogroup", name=NPS_LABEL).get_by_role(
        "radio", name="3", exact=True).click()
    save_screenshot(page, "widget-desktop-questionnaire.png", full_page=True)
    widget(page).get_by_role("button", name=SEND).click()
    box = widget(page)
    expect(box.get_by_label("Phone number")).to_be_visible()
    box.get_by_label("Anything we should know? (optional)").fill("The parcel arrived late.")
    box.get_by_label("Anything we should know? (optional)").blur()
    page.evaluate("window.scrollTo(0, 0)")
    save_screenshot(page, "widget-desktop.png", "widget-desktop.png", full_page=True)


# ---- keyboard, metadata, globals ---------------------------------------------------------

def test_it_is_keyboard_operable(page, live_server, shop, callback_campaign):
    open_demo(page, live_server)
    box = widget(page)
    group = box.get_by_role("radiogroup", name=NPS_LABEL)
    group.get_by_role("radio", name="0", exact=True).focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(group.get_by_role("radio", name="2", exact=True)).to_be_focused()
    expect(group.get_by_role("radio", name="2", exact=True)).to_have_attribute(
        "aria-checked", "true")
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    expect(group.get_by_role("radio", name="9", exact=True)).to_have_attribute(
        "aria-checked", "true")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # One tab stop per group: Tab leaves the NPS scale for the rating scale.
    page.keyboard.press("Tab")
    expect(box.get_by_role("radiogroup", name=re.compile("satisfied")).get_by_role(
        "radio", name="1", exact=True)).to_be_focused()
    outline = page.evaluate("""() => {
        const root = document.querySelector('kairos-widget').shadowRoot;
        return getComputedStyle(root.activeElement).outlineStyle; }""")
    assert outline == "solid", "the focused button shows where the focus is"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the Send button
    expect(box.get_by_role("heading", name="We're sorry we let you down")).to_be_focused()
    assert new_responses(shop).get().nps == 3


def test_a_required_question_must_be_answered(page, live_server, shop):
    open_demo(page, live_server)
    box = widget(page)
    box.get_by_role("button", name=SEND).click()
    expect(box.get_by_text("Please answer this question.")).to_be_visible()
    group = box.get_by_role("radiogroup", name=NPS_LABEL)
    expect(group).to_have_attribute("aria-invalid", "true")
    expect(group.get_by_role("radio", name="0", exact=True)).to_be_focused()
    assert not new_responses(shop).exists()


def test_metadata_can_be_given_after_the_script_loaded(page, live_server, shop):
    open_demo(page, live_server)
    page.evaluate("Kairos.metadata({responder: {customer_id: 'c-late'},"
                  " questionnaire: {products: ['shoes']}})")
    answer_nps(page, 9)
    expect(widget(page).get_by_text("Thank you for your feedback!")).to_be_visible()
    stored = new_responses(shop).get()
    assert stored.customer_id == "c-late"
    assert stored.email == "maria@example.com"  # the queued metadata is kept
    assert stored.questionnaire_metadata["transaction_id"] == "A-1001"


def test_the_widget_adds_no_global_but_kairos(page, live_server, shop):
    page.add_init_script("window.__before = new Set(Object.getOwnPropertyNames(window));")
    open_demo(page, live_server)
    added = page.evaluate("""Object.getOwnPropertyNames(window)
        .filter(name => !window.__before.has(name) && name !== '__before')""")
    assert added == ["Kairos"]


def test_it_works_under_a_strict_content_security_policy(page, live_server, shop):
    violations = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    open_demo(page, live_server, "?csp=1")
    send = widget(page).get_by_role("button", name=SEND)
    expect(send).to_have_css("background-color", "rgb(79, 70, 229)")  # its styles applied
    answer_nps(page, 10)
    expect(widget(page).get_by_text("Thank you for your feedback!")).to_be_visible()
    assert violations == []


def test_without_local_storage_the_device_lives_in_a_first_party_cookie(
        page, live_server, shop):
    page.add_init_script("""Object.defineProperty(window, 'localStorage', {
        get() { throw new DOMException('blocked', 'SecurityError'); }});""")
    api_requests = []
    page.on("request", lambda r: api_requests.append(r) if "/api/public/" in r.url else None)
    open_demo(page, live_server)
    answer_nps(page, 9)
    expect(widget(page).get_by_text("Thank you for your feedback!")).to_be_visible()
    cookies = {c["name"]: c for c in page.context.cookies()}
    device = cookies["kairos_device"]
    assert device["value"].startswith("d-") and device["sameSite"] == "Lax"
    assert new_responses(shop).get().device_id == device["value"]
    # The widget sends no cookies to Kairos, not even to its own origin.
    assert api_requests and all("cookie" not in r.all_headers() for r in api_requests)


def test_a_floating_box_can_be_minimised_and_restored(page, live_server, shop):
    open_demo(page, live_server, "?mode=floating")
    box = widget(page)
    position = box.bounding_box()
    assert position["x"] + position["width"] == pytest.approx(1280 - 12, abs=1)
    box.get_by_role("button", name="Minimise").click()
    expect(box.get_by_role("radiogroup", name=NPS_LABEL)).to_be_hidden()
    box.get_by_role("button", name="Give feedback").click()
    expect(box.get_by_role("radiogroup", name=NPS_LABEL)).to_be_visible()
    page.keyboard.press("Escape")
    expect(box.get_by_role("button", name="Give feedback")).to_be_focused()


# ---- the other campaign types ------------------------------------------------------------

def test_a_qr_coupon_shows_and_a_copy_counts_as_a_click(page, live_server, shop):
    campaign = add_campaign(shop, "onscreen_incentive", content={
        "coupon_mode": "single", "coupon_code": "SORRY-10", "coupon_format": "qr"})
    open_demo(page, live_server)
    answer_nps(page, 2)
    box = widget(page)
    expect(box.get_by_role("heading", name="A gift for your next order")).to_be_visible()
    expect(box.get_by_text("Use code SORRY-10 for 10% off.")).to_be_visible()
    image = box.get_by_role("img", name="SORRY-10")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    with page.expect_response("**/actions"):
        box.get_by_role("button", name="Copy code").click()
    expect(box.get_by_role("button", name="Copied!")).to_be_visible()
    box.get_by_role("button", name="Copied!").click()  # counted once
    assert list(Action.objects.filter(campaign=campaign).values_list("type", flat=True)) == [
        "click"]


def test_a_clickable_image_records_the_click_and_opens_the_link(page, live_server, shop):
    link = f"{live_server.url}/demo/?reviewed=1"
    campaign = add_campaign(shop, "image_display", content={"link_url": link})
    open_demo(page, live_server)
    answer_nps(page, 4)
    image = widget(page).get_by_role("img", name="Review us")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    with page.expect_popup() as popup, page.expect_response("**/actions"):
        image.click()
    popup.value.wait_for_load_state()
    assert popup.value.url == link
    assert Action.objects.get(campaign=campaign).type == "click"


def test_a_referral_is_sent_and_its_coupon_shown(page, live_server, shop):
    campaign = add_campaign(shop, "refer_friend", content={
        "coupon_mode": "single", "coupon_code": "FRIENDS", "coupon_format": "code128"})
    open_demo(page, live_server)
    answer_nps(page, 6)
    box = widget(page)
    box.get_by_label("Your friend's email").fill("not an email")
    box.get_by_role("button", name="Send invitation").click()
    expect(box.get_by_text("Please enter a valid email address.")).to_be_visible()
    box.get_by_label("Your friend's email").fill("Nikos@Example.com")
    box.get_by_role("button", name="Send invitation").click()
    expect(box.get_by_text("Thank you! Your friend is invited.")).to_be_visible()
    expect(box.get_by_role("img", name="FRIENDS")).to_be_visible()
    action = Action.objects.get(campaign=campaign)
    assert (action.type, action.data["friend_email"]) == ("referral", "nikos@example.com")


def test_closing_a_campaign_records_a_dismissal(page, live_server, shop, callback_campaign):
    open_demo(page, live_server)
    answer_nps(page, 3)
    # Closed before the campaign arrives, the box closes the questionnaire instead.
    expect(widget(page).get_by_label("Phone number")).to_be_visible()
    with page.expect_response("**/actions") as answer:
        widget(page).get_by_role("button", name="Close").click()
    assert answer.value.status == 201
    expect(widget(page)).to_have_count(0)
    assert Action.objects.get(campaign=callback_campaign).type == "dismiss"


# ---- failures ------------------------------------------------------------------------------

def test_a_lost_connection_is_retried_then_offered_again(
        page, live_server, shop, callback_campaign):
    open_demo(page, live_server)
    attempts = []
    online = {"now": False}

    def flaky(route):
        attempts.append(route.request.post_data)
        if online["now"]:
            route.continue_()
        else:
            route.abort("internetdisconnected")

    page.route("**/api/public/v1/responses", flaky)
    answer_nps(page, 3)
    box = widget(page)
    expect(box.get_by_text("We could not reach our server.", exact=False)).to_be_visible()
    assert len(attempts) == 3
    online["now"] = True
    box.get_by_role("button", name="Try again").click()
    expect(box.get_by_label("Phone number")).to_be_visible()
    assert len(attempts) == 4 and len(set(attempts)) == 1  # the very same answers
    assert new_responses(shop).count() == 1


def test_a_callback_whose_answer_was_lost_is_not_recorded_twice(
        page, live_server, shop, callback_campaign):
    open_demo(page, live_server)
    answer_nps(page, 3)
    bodies = post_bodies(page, "/actions")
    lost = []

    def lose_the_first_answer(route):
        if not lost:
            route.fetch()  # the server records it; the answer never reaches the page
            lost.append(True)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/actions", lose_the_first_answer)
    fill_callback(page, "6944123456")
    expect(widget(page).get_by_text("Thank you! We will call you soon.")).to_be_visible()
    assert len(bodies) == 2 and bodies[0] == bodies[1]
    assert CallbackRequest.objects.count() == 1


@pytest.fixture
def another_site():
    """A second web server (another origin on this machine) serving one shop page.

    Chromium refuses to let a page that is not itself on the loopback load a loopback
    script, so the other shop must be a real server here rather than a routed page.
    """
    pages = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", pages
    server.shutdown()
    server.server_close()


def test_a_page_on_another_origin_is_refused_politely(
        page, live_server, transactional_db, another_site, caplog):
    shop = build_demo_shop(site_url="https://shop.example.com")
    samples = Response.objects.count()
    origin, pages = another_site
    pages["/thank-you"] = (
        '<!doctype html><html lang="en"><body><h1>Thanks</h1>'
        f'<script src="{live_server.url}/widget.js" data-site-key="{shop.site_key}" async>'
        "</script></body></html>")
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{origin}/thank-you")
    box = widget(page)
    # The refusal carries no CORS permission, so to the page it looks like a network
    # failure: the widget tries three times, then apologises and offers to try again.
    expect(box.get_by_text("We could not reach our server.", exact=False)).to_be_visible()
    expect(box.get_by_role("button", name="Try again")).to_be_visible()
    refused = [r for r in caplog.records if r.getMessage().startswith(
        "Forbidden: /api/public/v1/questionnaires/checkout")]
    assert [r.status_code for r in refused] == [403, 403, 403]
    assert any("blocked by CORS policy" in text for text in console)
    assert Response.objects.count() == samples
