"""The questionnaire editor: edits publish a new version and never change stored answers."""

import pytest
from django.test import Client

from kairos.accounts.roles import Role
from kairos.questionnaires.models import Questionnaire, QuestionnaireVersion
from kairos.questionnaires.services import published_version, record_response

LIST_URL = "/dashboard/responses/questionnaires/"
PREFIX = "questions"


def checkout(organization):
    return Questionnaire.objects.get(organization=organization, stage="checkout")


def editor_url(questionnaire):
    return f"{LIST_URL}{questionnaire.pk}/"


def question_row(index, question):
    row = {"id": question.pk, "key": question.key, "type": question.type,
           "label_en": question.label_en, "label_el": question.label_el,
           "position": question.position,
           "options": "\n".join(f"{o['key']} | {o['label_en']} | {o['label_el']}"
                                for o in question.options)}
    row.update({name: "on" for name in ("required", "multiple") if getattr(question, name)})
    return {f"{PREFIX}-{index}-{name}": value for name, value in row.items()}


def editor_data(questionnaire, changes=None, new_question=None):
    """What the editor page posts: every question as it is, plus `changes` and a new row.

    `changes` maps a question key to the fields to change ({"DELETE": "on"} deletes it).
    """
    questions = list(questionnaire.questions.all())
    data = {"title_en": questionnaire.title_en, "title_el": questionnaire.title_el,
            "active": "on",
            f"{PREFIX}-TOTAL_FORMS": len(questions) + 1,
            f"{PREFIX}-INITIAL_FORMS": len(questions),
            f"{PREFIX}-MIN_NUM_FORMS": 0, f"{PREFIX}-MAX_NUM_FORMS": 1000}
    for index, question in enumerate(questions):
        data.update(question_row(index, question))
        for name, value in (changes or {}).get(question.key, {}).items():
            data[f"{PREFIX}-{index}-{name}"] = value
    for name, value in (new_question or {}).items():
        data[f"{PREFIX}-{len(questions)}-{name}"] = value
    return data


DELIVERY = {"key": "delivery", "type": "choice", "label_en": "How was delivery?",
            "label_el": "Πώς ήταν η παράδοση;", "position": 3,
            "options": "fast | Fast | Γρήγορη\nslow | Slow | Αργή\n"}


def form_errors(page, key):
    """The field errors of the editor row that holds `key` (the new row when key is new)."""
    for form in page.context["questions"].forms:
        if form.data.get(form.add_prefix("key")) == key:
            return form.errors
    raise AssertionError(f"no row for {key}")


def test_it_lists_the_shops_questionnaires(alice, alice_client):
    page = alice_client.get(LIST_URL)
    assert page.status_code == 200
    rows = {q.stage: (q.question_count, q.version_number) for q in page.context["questionnaires"]}
    assert rows == {"checkout": (3, 1), "after_sales": (3, 1)}
    assert editor_url(checkout(alice.organization)) in page.content.decode()


def test_the_editor_explains_versions(alice, alice_client):
    page = alice_client.get(editor_url(checkout(alice.organization)))
    assert page.status_code == 200
    assert "never change their meaning" in page.content.decode()


def test_adding_a_choice_question_publishes_a_version_the_widget_gets(alice, alice_client):
    questionnaire = checkout(alice.organization)
    page = alice_client.post(editor_url(questionnaire), editor_data(questionnaire,
                                                                    new_question=DELIVERY))
    assert page.status_code == 302
    assert published_version(alice.organization, "checkout").number == 2
    assert "Version 2 is now live" in alice_client.get(page["Location"]).content.decode()
    site_key = alice.organization.site_keys.first().key
    public = Client().get("/api/public/v1/questionnaires/checkout",
                          {"site_key": site_key, "locale": "en"}).json()
    delivery = next(q for q in public["questions"] if q["key"] == "delivery")
    assert public["version"] == 2
    assert delivery["options"] == [{"key": "fast", "label": "Fast"},
                                   {"key": "slow", "label": "Slow"}]


def test_an_unchanged_save_publishes_nothing(alice, alice_client):
    questionnaire = checkout(alice.organization)
    alice_client.post(editor_url(questionnaire), editor_data(questionnaire))
    assert questionnaire.versions.count() == 1


def test_a_key_from_an_earlier_version_keeps_its_type(alice, alice_client):
    questionnaire = checkout(alice.organization)
    changes = {"comment": {"type": "choice", "options": "a | A | Α\nb | B | Β"}}
    page = alice_client.post(editor_url(questionnaire), editor_data(questionnaire, changes))
    assert page.status_code == 200
    assert "earlier version" in str(form_errors(page, "comment")["type"])
    assert questionnaire.versions.count() == 1


def test_a_deleted_key_cannot_come_back_with_another_type(alice, alice_client):
    questionnaire = checkout(alice.organization)
    deleted = alice_client.post(editor_url(questionnaire),
                                editor_data(questionnaire, {"comment": {"DELETE": "on"}}))
    assert deleted.status_code == 302
    assert [q["key"] for q in questionnaire.current_version().questions] == ["nps", "rating"]
    comeback = {**DELIVERY, "key": "comment"}
    page = alice_client.post(editor_url(questionnaire),
                             editor_data(questionnaire, new_question=comeback))
    assert "type" in form_errors(page, "comment")
    assert questionnaire.versions.count() == 2


def test_deleting_a_question_keeps_old_responses_readable(alice, alice_client):
    questionnaire = checkout(alice.organization)
    response = record_response(alice.organization, questionnaire.current_version(),
                               {"answers": {"nps": 9, "comment": "Lovely"}}, locale="en")
    alice_client.post(editor_url(questionnaire),
                      editor_data(questionnaire, {"comment": {"DELETE": "on"}}))
    page = alice_client.get(f"/dashboard/responses/{response.id}/")
    assert ("comment", "What could we do better?", "Lovely") in [
        (a.key, a.label, a.value) for a in page.context["answers"]
    ]


@pytest.mark.parametrize("new_question,field,message", [
    ({**DELIVERY, "options": "fast | Fast | Γρήγορη"}, "options", "at least two options"),
    ({**DELIVERY, "options": "fast | Fast\nfast | Quick"}, "options", "repeated: fast"),
    ({**DELIVERY, "options": "fast\nslow | Slow"}, "options", "Line 1"),
    ({**DELIVERY, "options": "not fast | Fast\nslow | Slow"}, "options", "Line 1"),
    ({**DELIVERY, "type": "text"}, "options", "Only choice questions have options"),
    ({**DELIVERY, "type": "text", "options": "", "multiple": "on"}, "multiple", "Only choice"),
    ({**DELIVERY, "key": "rating"}, "key", "already uses the key"),
    ({**DELIVERY, "key": "no spaces"}, "key", "slug"),
])
def test_bad_questions_are_refused_on_their_field(alice, alice_client, new_question, field,
                                                  message):
    questionnaire = checkout(alice.organization)
    page = alice_client.post(editor_url(questionnaire),
                             editor_data(questionnaire, new_question=new_question))
    assert page.status_code == 200
    forms_with_error = [f for f in page.context["questions"].forms if field in f.errors]
    assert forms_with_error and message in str(forms_with_error[0].errors[field])
    assert questionnaire.versions.count() == 1


def test_swapping_two_keys_in_one_save_is_refused_without_a_trace(alice, alice_client):
    questionnaire = checkout(alice.organization)
    note = {**DELIVERY, "key": "note", "type": "text", "options": ""}
    alice_client.post(editor_url(questionnaire), editor_data(questionnaire, new_question=note))
    swap = {"comment": {"key": "note"}, "note": {"key": "comment"}}
    page = alice_client.post(editor_url(questionnaire), editor_data(questionnaire, swap))
    assert page.status_code == 200
    assert "Not saved" in page.content.decode()
    assert questionnaire.versions.count() == 2
    labels = dict(questionnaire.questions.values_list("key", "label_en"))
    assert labels["comment"] == "What could we do better?"


def test_every_question_cannot_be_deleted(alice, alice_client):
    questionnaire = checkout(alice.organization)
    everything = {key: {"DELETE": "on"} for key in ("nps", "rating", "comment")}
    page = alice_client.post(editor_url(questionnaire), editor_data(questionnaire, everything))
    assert "Keep at least one question" in str(page.context["questions"].non_form_errors())
    assert questionnaire.questions.count() == 3


def test_a_reporting_user_reads_but_cannot_post(alice, member_client):
    questionnaire = checkout(alice.organization)
    client = member_client(Role.REPORTING)
    page = client.get(editor_url(questionnaire))
    assert page.status_code == 200
    assert "Save and publish" not in page.content.decode()
    assert all(field.disabled for field in page.context["form"].fields.values())
    refused = client.post(editor_url(questionnaire), editor_data(questionnaire,
                                                                 new_question=DELIVERY))
    assert refused.status_code == 403
    assert questionnaire.versions.count() == 1


def test_a_campaign_manager_may_edit(alice, member_client):
    questionnaire = checkout(alice.organization)
    client = member_client(Role.CAMPAIGN_MANAGER)
    page = client.post(editor_url(questionnaire), editor_data(questionnaire,
                                                              new_question=DELIVERY))
    assert page.status_code == 302 and questionnaire.versions.count() == 2


def test_an_agent_cannot_open_the_questionnaires(alice, member_client):
    client = member_client(Role.AGENT)
    assert client.get(LIST_URL).status_code == 403
    assert client.get(editor_url(checkout(alice.organization))).status_code == 403


def test_another_shops_questionnaire_is_not_found(alice, bob, alice_client, bob_client):
    questionnaire = checkout(alice.organization)
    assert bob_client.get(editor_url(questionnaire)).status_code == 404
    page = bob_client.post(editor_url(questionnaire), editor_data(questionnaire,
                                                                  new_question=DELIVERY))
    assert page.status_code == 404
    assert QuestionnaireVersion.objects.filter(questionnaire=questionnaire).count() == 1
    listed = bob_client.get(LIST_URL).context["questionnaires"]
    assert {q.organization_id for q in listed} == {bob.organization.id}
