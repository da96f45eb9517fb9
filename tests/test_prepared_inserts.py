"""Prepared INSERTs store exactly what save() stores (on SQLite and PostgreSQL alike)."""

from campaigns.helpers import campaign, segment
from django.forms.models import model_to_dict

from kairos.campaigns.models import Impression
from kairos.db.inserts import mark_saved, prepared_insert
from kairos.questionnaires.models import Response
from kairos.questionnaires.services import build_response, published_version

SUBMISSION = {"answers": {"nps": 3, "comment": "Η παράδοση άργησε"}, "metadata": {
    "questionnaire": {"transaction_date": "2026-11-20", "store_id": "athens", "amount": 12.5,
                      "products": ["a", "b"]},
    "responder": {"email": "maria@example.com", "vip": True}}}


def stored(model, pk):
    row = model_to_dict(model.objects.get(pk=pk))
    row.pop("id", None)
    return row


def twins(alice):
    version = published_version(alice.organization, "checkout")
    return [build_response(alice.organization, version, SUBMISSION, locale="el",
                           device_id="d-1") for _ in range(2)]


def test_a_prepared_response_is_stored_as_save_stores_it(alice):
    by_save, by_insert = twins(alice)
    by_insert.submitted_at = by_save.submitted_at
    by_save.save()
    prepared_insert(by_insert).execute()
    mark_saved(by_insert)
    assert stored(Response, by_insert.pk) == stored(Response, by_save.pk)
    assert not by_insert._state.adding


def test_a_prepared_impression_is_stored_as_save_stores_it(alice):
    shop = alice.organization
    chosen = campaign(shop, [segment(shop)])
    first, second = twins(alice)
    first.save()
    second.save()
    fields = {"organization": shop, "campaign": chosen, "locale": "el", "email": "m@x.gr",
              "shown_at": first.submitted_at}
    by_save = Impression.objects.create(response=first, **fields)
    by_insert = Impression(response=second, **fields)
    prepared_insert(by_insert).execute()
    expected = stored(Impression, by_save.pk) | {"response": second.pk}
    assert stored(Impression, by_insert.pk) == expected


def test_an_event_recorded_by_the_outbox_is_stored_as_save_stores_it(alice):
    import datetime

    from django.db import transaction

    from kairos.events.models import Event
    from kairos.events.outbox import emit

    data = {"answers": {"nps": 3, "σχόλιο": "άργησε"}, "at": "2026-11-20T10:15:02.120Z",
            "amount": 12.5, "tags": ["a", None, True]}
    with transaction.atomic():
        emit(alice.organization, "response.completed", data)
    by_emit = Event.objects.get()
    by_save = Event.objects.create(organization=alice.organization, type="response.completed",
                                   data=data, created_at=by_emit.created_at)
    assert stored(Event, by_emit.pk) == stored(Event, by_save.pk)
    assert by_emit.data == data and by_emit.position is None
    assert abs(by_emit.created_at - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(
        minutes=1)
