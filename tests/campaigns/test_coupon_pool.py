"""A campaign's coupon pool: imported codes, one per customer, a warning when it runs out."""

import json

from campaigns.helpers import campaign, segment, submit
from django.core.files.uploadedfile import SimpleUploadedFile

from kairos.campaigns.models import CouponCode

POOL = {"coupon_mode": "pool", "coupon_format": "code128"}


def pooled(alice):
    shop = alice.organization
    return campaign(shop, [segment(shop)], type="onscreen_incentive", content=POOL)


def test_codes_are_added_once_and_counted(alice, alice_api):
    chosen = pooled(alice)
    url = f"/api/v1/campaigns/{chosen.pk}/coupons"
    first = alice_api.post(url, json.dumps({"codes": ["A1", "A2", "A2", " A3 "]}),
                           content_type="application/json").json()
    assert (first["added"], first["total"], first["left"]) == (3, 3, 3)
    again = alice_api.post(url, json.dumps({"codes": ["A3", "A4"]}),
                           content_type="application/json").json()
    assert (again["added"], again["total"]) == (1, 4)


def test_each_customer_gets_their_own_code_until_the_pool_runs_out(alice, alice_api):
    chosen = pooled(alice)
    CouponCode.objects.bulk_create([CouponCode(campaign=chosen, code=c) for c in ("X", "Y")])
    codes = [submit(alice.organization, nps=1, device=f"d{n}")["campaign"]["content"]["coupon"]
             for n in range(3)]
    assert [c and c["code"] for c in codes] == ["X", "Y", None]
    assert codes[0]["image_url"].endswith("/coupon.svg")
    status = alice_api.get(f"/api/v1/campaigns/{chosen.pk}/coupons").json()
    assert (status["left"], status["exhausted"]) == (0, True)


def test_the_dashboard_imports_a_csv_and_warns_when_the_pool_is_empty(alice, alice_client):
    chosen = pooled(alice)
    page = alice_client.get(f"/dashboard/campaigns/{chosen.pk}/").content.decode()
    assert "The pool has run out" in page
    upload = SimpleUploadedFile("codes.csv", b"code\nSPRING1\nSPRING2,extra\n\n")
    alice_client.post(f"/dashboard/campaigns/{chosen.pk}/coupons/",
                      {"file": upload, "codes": "SPRING3"})
    assert set(CouponCode.objects.values_list("code", flat=True)) == {
        "SPRING1", "SPRING2", "SPRING3"}
    page = alice_client.get(f"/dashboard/campaigns/{chosen.pk}/").content.decode()
    assert "The pool has run out" not in page and "3 of 3 codes left" in page


def test_bob_cannot_fill_alices_pool(alice, bob_api, bob_client):
    chosen = pooled(alice)
    response = bob_api.post(f"/api/v1/campaigns/{chosen.pk}/coupons",
                            json.dumps({"codes": ["B"]}), content_type="application/json")
    assert response.status_code == 404
    assert bob_client.post(f"/dashboard/campaigns/{chosen.pk}/coupons/",
                           {"codes": "B"}).status_code == 404
    assert not CouponCode.objects.exists()
