import django.utils.timezone
from django.db import migrations, models


def first_generation(apps, schema_editor):
    ContentGeneration = apps.get_model("commentaries", "ContentGeneration")
    Commentary = apps.get_model("commentaries", "Commentary")
    now = django.utils.timezone.now()
    scheduled = Commentary.objects.filter(status="published", published_at__gt=now)
    ContentGeneration.objects.create(
        pk=1,
        number=1,
        changed_at=now,
        next_go_live=scheduled.aggregate(at=models.Min("published_at"))["at"],
    )


class Migration(migrations.Migration):
    dependencies = [("commentaries", "0010_commentary_doi")]

    operations = [
        migrations.CreateModel(
            name="ContentGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveBigIntegerField(default=0)),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("next_go_live", models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.RunPython(first_generation, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="commentary",
            index=models.Index(fields=["series", "status", "-published_at"], name="series_newest"),
        ),
    ]
