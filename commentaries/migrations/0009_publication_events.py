import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def record_existing_releases(apps, schema_editor):
    """Pieces already published are their first release, and what is already public has been
    announced: the worker must not announce the whole archive again on its first run."""
    Commentary = apps.get_model("commentaries", "Commentary")
    PublicationEvent = apps.get_model("commentaries", "PublicationEvent")
    now = django.utils.timezone.now()
    Commentary.objects.filter(first_published_at__isnull=False).update(release=1)
    public = Commentary.objects.filter(status="published", published_at__lte=now)
    PublicationEvent.objects.bulk_create(
        PublicationEvent(commentary_id=pk, kind="public", version=1, occurred_at=now)
        for pk in public.values_list("pk", flat=True).iterator()
    )


class Migration(migrations.Migration):
    dependencies = [("commentaries", "0008_series_updated_at")]

    operations = [
        migrations.AddField(
            model_name="commentary",
            name="release",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="How many times the piece has been set to published; each time is a new release, so its publication events (commentaries.events) happen once per release.",
            ),
        ),
        migrations.CreateModel(
            name="PublicationEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("public", "Became public"), ("corrected", "Major correction"), ("withdrawn", "Withdrawn"), ("unpublished", "Unpublished")], max_length=20)),
                ("version", models.PositiveIntegerField(help_text="The release for public, withdrawn and unpublished; the correction's id for corrected.")),
                ("occurred_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("commentary", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="events", to="commentaries.commentary")),
            ],
            options={
                "ordering": ["occurred_at", "pk"],
                "constraints": [models.UniqueConstraint(fields=("commentary", "kind", "version"), name="one_event_per_piece_kind_version")],
            },
        ),
        migrations.RunPython(record_existing_releases, migrations.RunPython.noop),
    ]
