"""Facts a periodic job keeps, one row per counted thing (campaigns/lift_facts.py,
reports/loop_facts.py): the shop's rows are brought to what was just counted, writing only
what changed, and the shop's "kept at" moves with them."""

from django.db import transaction

BATCH = 2_000


def keep_facts(model, kept_model, organization, found, fields, now):
    """Make the shop's `model` rows equal `found` ({primary key: values of `fields`}) — add
    the new, rewrite the changed, drop the gone — and record `now` in `kept_model`, in one
    transaction; returns how many rows were written. The kept rows are read before it, so
    on SQLite the writer lock is held only for the writes."""
    kept = {row[0]: row[1:] for row in model.objects.filter(organization=organization)
            .values_list("pk", *fields).iterator(chunk_size=BATCH)}
    new = [pk for pk in found if pk not in kept]
    changed = [pk for pk in found if pk in kept and kept[pk] != found[pk]]
    gone = [pk for pk in kept if pk not in found]
    stale = gone + changed
    with transaction.atomic():
        for first in range(0, len(stale), BATCH):
            model.objects.filter(organization=organization,
                                 pk__in=stale[first:first + BATCH]).delete()
        model.objects.bulk_create(
            [model(pk=pk, organization=organization, **dict(zip(fields, found[pk], strict=True)))
             for pk in new + changed], batch_size=BATCH)
        kept_model.objects.update_or_create(organization=organization,
                                            defaults={"kept_at": now})
    return len(new) + len(changed) + len(gone)
