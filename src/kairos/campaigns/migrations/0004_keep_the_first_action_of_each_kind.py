from django.db import migrations
from django.db.models import Count


def keep_the_first_of_each_kind(apps, schema_editor):
    """Clicks used to count every time; keep each impression's first, as the new
    constraint demands (other kinds were already unique)."""
    Action = apps.get_model("campaigns", "Action")
    repeated = (Action.objects.values("impression_id", "type").annotate(n=Count("id"))
                .filter(n__gt=1))
    for row in list(repeated):
        same = Action.objects.filter(impression_id=row["impression_id"], type=row["type"])
        first = same.order_by("created_at", "id").values_list("pk", flat=True)[0]
        same.exclude(pk=first).delete()


class Migration(migrations.Migration):
    """Its own migration: on PostgreSQL, deleting rows that others reference leaves
    trigger events pending, and the table cannot then be altered in the same transaction."""

    dependencies = [
        ('campaigns', '0003_registry_choices_and_once_per_impression'),
    ]

    operations = [
        migrations.RunPython(keep_the_first_of_each_kind, migrations.RunPython.noop),
    ]
