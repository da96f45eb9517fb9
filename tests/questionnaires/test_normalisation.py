"""One customer is recognised across responses and devices by normalised identities."""

import pytest

from kairos.questionnaires.services import published_version, record_response
from kairos.questionnaires.validation import normalize_email, normalize_phone


@pytest.mark.parametrize("raw", ["  Maria@Example.COM ", "maria@example.com"])
def test_emails_are_trimmed_and_lower_cased(raw):
    assert normalize_email(raw) == "maria@example.com"


@pytest.mark.parametrize("raw", ["6900000000", "+30 690 000 0000", "0030 6900000000",
                                 "+30-690-000-0000"])
def test_greek_phone_numbers_become_e164(raw):
    assert normalize_phone(raw, "GR") == "+306900000000"


def test_the_shops_country_is_the_default_region():
    assert normalize_phone("020 7946 0018", "GB") == "+442079460018"


def test_an_invalid_number_is_refused():
    with pytest.raises(ValueError):
        normalize_phone("12345", "GR")


def test_the_same_customer_gets_one_responder_key_across_devices(alice):
    version = published_version(alice.organization, "checkout")

    def submit(email, device):
        return record_response(alice.organization, version, {
            "answers": {"nps": 5},
            "metadata": {"responder": {"email": email}}}, locale="en", device_id=device)

    first, second = submit("Maria@Example.com", "d-1"), submit(" maria@example.com", "d-2")
    assert first.responder_key == second.responder_key == "email:maria@example.com"


def test_an_anonymous_customer_is_known_by_device(alice):
    version = published_version(alice.organization, "checkout")
    response = record_response(alice.organization, version, {"answers": {"nps": 5}},
                               locale="en", device_id="d-9")
    assert response.responder_key == "device:d-9"
