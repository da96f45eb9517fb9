from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_default_language_choices_from_kairos_languages'),
        ('campaigns', '0004_keep_the_first_action_of_each_kind'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='action',
            name='once_per_impression',
        ),
        migrations.RemoveField(
            model_name='action',
            name='once_per_impression',
        ),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.UniqueConstraint(fields=('impression', 'type'), name='one_action_of_a_kind_per_impression'),
        ),
    ]
