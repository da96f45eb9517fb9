from django.test import Client


def get(site_key, stage="checkout", locale="en", **headers):
    return Client().get(f"/api/public/v1/questionnaires/{stage}",
                        {"site_key": site_key, "locale": locale}, headers=headers)


def site_key_of(user):
    return user.organization.site_keys.get().key


def test_it_serves_the_default_questionnaire_in_english(alice):
    data = get(site_key_of(alice)).json()
    assert data["stage"] == "checkout" and data["locale"] == "en"
    keys = [(q["key"], q["type"]) for q in data["questions"]]
    assert keys == [("nps", "nps"), ("rating", "rating"), ("comment", "text")]
    nps = data["questions"][0]
    assert (nps["min"], nps["max"], nps["required"]) == (0, 10, True)
    assert nps["label"].startswith("How likely")


def test_it_serves_greek_labels(alice):
    data = get(site_key_of(alice), locale="el").json()
    assert data["questions"][0]["label"].startswith("Πόσο πιθανό")


def test_it_serves_both_stages(alice):
    assert get(site_key_of(alice), stage="after_sales").status_code == 200


def test_it_refuses_an_unknown_stage_and_key_and_locale(alice):
    assert get(site_key_of(alice), stage="nope").status_code == 404
    assert get("pk_unknown").status_code == 403
    response = get(site_key_of(alice), locale="de")
    assert response.status_code == 422 and "locale" in response.json()["detail"]


def test_an_inactive_questionnaire_is_not_served(alice):
    alice.organization.questionnaires.filter(stage="checkout").update(active=False)
    assert get(site_key_of(alice)).status_code == 404
