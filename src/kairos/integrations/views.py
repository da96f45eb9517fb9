"""widget.js for the shops' pages, the coupon images, and the demo shop's thank-you page."""

import datetime
import gzip
import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kairos.accounts.models import Organization
from kairos.boundary.forms import BoundaryForm
from kairos.campaigns.models import Impression
from kairos.demo import DEMO_SHOP_NAME
from kairos.errors import NotFound, Problems
from kairos.languages import NATIVE_CHOICES

WIDGET_SOURCE = Path(__file__).resolve().parent / "static" / "integrations" / "widget.js"
# /widget.js may change with any deploy, so browsers and CDNs re-check it every 5 minutes;
# /widget.<hash>.js never changes (a new file gets a new hash), so it is cached for a year.
SHORT_CACHE = "public, max-age=300"
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"


# ---- widget.js -----------------------------------------------------------------------

@dataclass(frozen=True)
class WidgetFile:
    content: bytes
    gzipped: bytes
    version: str  # a content hash: the versioned URL changes whenever the file does
    modified_ns: int


_widget: WidgetFile | None = None


def widget_file():
    """The widget's bytes, read once and again only when the file changes on disk."""
    global _widget
    modified_ns = WIDGET_SOURCE.stat().st_mtime_ns
    if _widget is None or _widget.modified_ns != modified_ns:
        content = WIDGET_SOURCE.read_bytes()
        _widget = WidgetFile(content, gzip.compress(content, mtime=0),
                             hashlib.sha256(content).hexdigest()[:12], modified_ns)
    return _widget


def versioned_widget_path():
    """/widget.<hash>.js: the URL to embed when a shop wants the year-long cache."""
    return reverse("integrations:widget_versioned", args=[widget_file().version])


def serve_widget(request, cache_control):
    widget = widget_file()
    etag = f'W/"{widget.version}"'  # weak: the gzip and plain bytes are the same file
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(widget.gzipped, content_type="application/javascript")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(widget.content, content_type="application/javascript")
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    # Shops load it from their own origin: allow <script crossorigin integrity=…> and COEP.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


@require_safe
def widget(request):
    response = serve_widget(request, SHORT_CACHE)
    response["Link"] = (f'<{versioned_widget_path()}>; rel="alternate"; '
                        f'type="application/javascript"')
    return response


@require_safe
def widget_versioned(request, version):
    if version != widget_file().version:
        raise Http404("Unknown widget version: embed /widget.js or the current versioned URL.")
    return serve_widget(request, IMMUTABLE_CACHE)


# ---- coupon images -------------------------------------------------------------------

def coupon_svg_response(impression_id):
    """GET /api/public/v1/impressions/{id}/coupon.svg (routed by the public API)."""
    # Imported here: python-barcode logs about Pillow at import; only drawing needs it.
    from kairos.integrations.barcodes import FORMATS, coupon_svg

    impression = (Impression.objects.select_related("campaign").only(
        "coupon_code", "campaign__content").filter(pk=impression_id).first())
    if impression is None or not impression.coupon_code:
        raise NotFound("impression_id", _("no coupon for this impression"))
    coupon_format = impression.campaign.content.get("coupon_format", "text")
    if coupon_format not in FORMATS:
        raise NotFound("impression_id", _("this coupon is shown as text, not as an image"))
    try:
        svg = coupon_svg(impression.coupon_code, coupon_format)
    except ValueError as error:
        raise Problems([("coupon_code", str(error))]) from None
    response = HttpResponse(svg, content_type="image/svg+xml")
    # One customer's coupon: browsers may keep it, shared caches may not.
    response["Cache-Control"] = "private, max-age=86400"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    # Opened on its own, the SVG is a document: it may draw, never run anything.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


# ---- the demo shop's thank-you page --------------------------------------------------

DEMO_TEXTS = {
    "en": {
        "confirmed": "Order {order} confirmed", "thanks": "Thank you, {name}!",
        "sent": "We have sent the confirmation to {email}.", "summary": "Order summary",
        "store": "Store", "total": "Total", "delivery": "Estimated delivery",
        "items": ["Linen shirt, white, M", "Leather sandals, 39"],
        "feedback": "Tell us how we did", "missing": "The demo shop does not exist yet.",
        "try": "Try the demo", "apply": "Show this customer", "forget": "Forget this device",
        "forgotten": "This browser now counts as a new device.",
        "hint": "Answer 0–6 to be a detractor, 9–10 to be a promoter. Frequency caps "
                "remember the device and the customer's email, phone and id: change them "
                "(or forget the device) to try again. A campaign with a control group "
                "shows nothing to the customers it holds out: try another customer id.",
        "labels": {"name": "Name", "email": "Email", "phone": "Phone",
                   "customer_id": "Customer id", "store_id": "Store id",
                   "amount": "Amount (€)", "lang": "Language", "mode": "Widget"},
    },
    "el": {
        "confirmed": "Η παραγγελία {order} επιβεβαιώθηκε", "thanks": "Ευχαριστούμε, {name}!",
        "sent": "Στείλαμε την επιβεβαίωση στο {email}.", "summary": "Σύνοψη παραγγελίας",
        "store": "Κατάστημα", "total": "Σύνολο", "delivery": "Εκτιμώμενη παράδοση",
        "items": ["Λινό πουκάμισο, λευκό, M", "Δερμάτινα σανδάλια, 39"],
        "feedback": "Πείτε μας τη γνώμη σας", "missing": "Το demo κατάστημα δεν υπάρχει ακόμη.",
        "try": "Δοκιμάστε το demo", "apply": "Εμφάνιση πελάτη", "forget": "Νέα συσκευή",
        "forgotten": "Αυτός ο browser μετράει πλέον ως νέα συσκευή.",
        "hint": "Απαντήστε 0–6 για επικριτή, 9–10 για υποστηρικτή. Τα όρια συχνότητας "
                "θυμούνται τη συσκευή και το email, το τηλέφωνο και το id του πελάτη: "
                "αλλάξτε τα (ή ξεχάστε τη συσκευή) για να ξαναδοκιμάσετε. Μια καμπάνια με "
                "ομάδα ελέγχου δεν δείχνει τίποτα στους πελάτες που εξαιρεί: δοκιμάστε άλλο "
                "id πελάτη.",
        "labels": {"name": "Όνομα", "email": "Email", "phone": "Τηλέφωνο",
                   "customer_id": "Id πελάτη", "store_id": "Id καταστήματος",
                   "amount": "Ποσό (€)", "lang": "Γλώσσα", "mode": "Widget"},
    },
}
ORDER_ID = "A-1001"


class DemoCustomerForm(BoundaryForm, forms.Form):
    """Who the demo page pretends its customer is; GET parameters, all optional."""

    name = forms.CharField(max_length=100, initial="Maria Papadopoulou")
    email = forms.EmailField(initial="maria@example.com")
    phone = forms.CharField(max_length=32, initial="+30 694 123 4567")
    customer_id = forms.CharField(max_length=100, initial="c-42")
    store_id = forms.CharField(max_length=100, initial="athens")
    amount = forms.DecimalField(min_value=0, max_digits=10, decimal_places=2, initial="120.50")
    lang = forms.ChoiceField(choices=NATIVE_CHOICES, initial="en")
    mode = forms.ChoiceField(choices=[("embedded", "embedded"), ("floating", "floating")],
                             initial="embedded")


def demo_customer(query):
    """The form, and the customer: each valid GET value, the default for the others."""
    data = {name: query.get(name, field.initial)
            for name, field in DemoCustomerForm.base_fields.items()}
    form = DemoCustomerForm(data)
    form.is_valid()
    customer = {name: form.cleaned_data.get(name, field.initial)
                for name, field in form.fields.items()}
    return form, customer


def demo_metadata(customer):
    """What a shop passes to Kairos.metadata() on its thank-you page."""
    return {
        "questionnaire": {"transaction_id": ORDER_ID,
                          "transaction_date": datetime.date.today().isoformat(),
                          "store_id": customer["store_id"],
                          "amount": float(customer["amount"])},
        "responder": {"name": customer["name"], "email": customer["email"],
                      "phone_number": customer["phone"],
                      "customer_id": customer["customer_id"]},
    }


def demo_site_key():
    organization = Organization.objects.filter(name=DEMO_SHOP_NAME).first()
    if organization is None:
        return None
    return organization.site_keys.filter(active=True).order_by("id").first()


def content_security_policy(nonce):
    # What a strict shop would send: nothing inline runs or styles without the nonce.
    return (f"default-src 'none'; script-src 'self' 'nonce-{nonce}'; "
            f"style-src 'nonce-{nonce}'; connect-src 'self'; img-src 'self' data:; "
            f"form-action 'self'; base-uri 'none'")


@require_safe
def demo(request):
    form, customer = demo_customer(request.GET)
    strict = request.GET.get("csp") == "1"
    hostile = request.GET.get("hostile") == "1"
    nonce = secrets.token_urlsafe(16)
    texts = DEMO_TEXTS[customer["lang"]]
    context = {
        "form": form, "customer": customer, "texts": texts, "order_id": ORDER_ID,
        "site_key": demo_site_key(), "metadata": demo_metadata(customer),
        "widget_url": request.build_absolute_uri(reverse("integrations:widget")),
        # A page that hides everything but the widget cannot have it embedded in it.
        "floating": hostile or customer["mode"] == "floating",
        "hostile": hostile, "strict": strict, "nonce": nonce,
        "confirmed": texts["confirmed"].format(order=ORDER_ID),
        "thanks": texts["thanks"].format(name=customer["name"].split(" ")[0]),
        "sent": texts["sent"].format(email=customer["email"]),
        "delivery_date": datetime.date.today() + datetime.timedelta(days=2),
    }
    response = render(request, "integrations/demo.html", context)
    if strict:
        response["Content-Security-Policy"] = content_security_policy(nonce)
    return response
