"""The shop's settings: country and time zone picked from lists named in the user's
language, labels in both languages, and codes that are no country refused."""

import json
import re

from kairos.accounts.places import country_choices, time_zones

SETTINGS = "/settings/"


def form_data(shop, **changes):
    return {"name": shop.name, "country": shop.country, "time_zone": shop.time_zone,
            "default_language": shop.default_language, **changes}


def test_country_and_time_zone_are_pickers_with_the_shops_values_chosen(alice_client):
    html = alice_client.get(SETTINGS).content.decode()
    assert '<select name="country"' in html and '<select name="time_zone"' in html
    assert '<option value="GR" selected>Greece</option>' in html
    assert '<optgroup label="Europe">' in html
    assert '<option value="Europe/Athens" selected>Athens</option>' in html
    assert '<option value="America/New_York">New York</option>' in html
    assert "Shop name" in html and "Default language" in html


def test_the_pickers_and_labels_speak_greek(alice_client):
    html = alice_client.get(SETTINGS, headers={"Accept-Language": "el"}).content.decode()
    assert '<option value="GR" selected>Ελλάδα</option>' in html
    assert '<option value="DE">Γερμανία</option>' in html
    for label in ("Όνομα καταστήματος", "Χώρα", "Ζώνη ώρας", "Προεπιλεγμένη γλώσσα"):
        assert label in html, label


def test_a_picked_country_and_zone_are_saved(alice, alice_client):
    answer = alice_client.post(SETTINGS, form_data(alice.organization, country="CY",
                                                   time_zone="Asia/Nicosia"))
    assert answer.status_code == 302
    alice.organization.refresh_from_db()
    assert (alice.organization.country, alice.organization.time_zone) == ("CY", "Asia/Nicosia")


def test_what_is_not_on_the_lists_is_refused(alice, alice_client):
    answer = alice_client.post(SETTINGS, form_data(alice.organization, country="ZZ",
                                                   time_zone="Mars/Olympus"))
    assert answer.status_code == 200
    assert set(answer.context["form"].errors) == {"country", "time_zone"}
    alice.organization.refresh_from_db()
    assert alice.organization.country == "GR"


def test_the_api_refuses_a_code_that_is_no_country_naming_the_field(alice_api):
    answer = alice_api.patch("/api/v1/shop", json.dumps({"country": "zz"}),
                             content_type="application/json")
    assert answer.status_code == 422
    assert "country" in json.dumps(answer.json())


def test_the_lists_are_complete_and_sorted_as_read():
    assert len(country_choices("en")) > 200 and "Europe/Athens" in time_zones()
    assert not any(zone.startswith(("US/", "Etc/")) for zone in time_zones())
    names = [name for _code, name in country_choices("el")]
    assert names.index("Ελλάδα") < names.index("Ιταλία")  # Ελ… before Ιτ…, accents aside


def test_the_greek_country_list_is_greek_throughout():
    """phonenumbers has no Greek name for the youngest countries (Serbia, Montenegro,
    South Sudan, Curaçao…): Kairos adds them."""
    greek_letters = re.compile("[\u0370-\u03ff]")
    english = [name for _code, name in country_choices("el") if not greek_letters.search(name)]
    assert english == []
    assert dict(country_choices("el"))["RS"] == "Σερβία"
    assert dict(country_choices("en"))["RS"] == "Serbia"
