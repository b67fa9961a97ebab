from django.conf import settings
import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def pieces_in_review_wait_since_their_last_save(apps, schema_editor):
    Commentary = apps.get_model("commentaries", "Commentary")
    Commentary.objects.filter(status="review").update(submitted_at=F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("commentaries", "0015_content_generation_moves_to_caching"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="commentary",
            name="planned_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the editors mean to publish it, for the calendar. Planning is not scheduling: nothing is published or sent at this time.",
                null=True,
                verbose_name="planned date",
            ),
        ),
        migrations.AddField(
            model_name="commentary",
            name="submitted_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When it was last submitted for review; cleared when it leaves review.",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="commentary",
            name="release",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="How many times the publishing services have published the piece; each time is a new release, so its publication events happen once per release.",
            ),
        ),
        migrations.AlterField(
            model_name="commentary",
            name="published_at",
            field=models.DateTimeField(
                db_index=True,
                default=django.utils.timezone.now,
                help_text="Tokyo time. Left alone, the piece is dated the moment it is published; a time you set here is kept. To publish later, use Schedule.",
                verbose_name="publication time",
            ),
        ),
        migrations.CreateModel(
            name="Tagging",
            fields=[],
            options={"proxy": True, "indexes": [], "constraints": []},
            bases=("taggit.taggeditem",),
        ),
        migrations.AddIndex(
            model_name="commentary",
            index=models.Index(fields=["status", "submitted_at"], name="review_queue"),
        ),
        migrations.AddIndex(
            model_name="commentary",
            index=models.Index(fields=["planned_at"], name="planned_pieces"),
        ),
        # Publication events move to the publishing app (its 0001), keeping their table.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name="publicationevent",
                    name="one_event_per_piece_kind_version",
                ),
                migrations.DeleteModel(name="PublicationEvent"),
            ],
        ),
        migrations.RunPython(
            pieces_in_review_wait_since_their_last_save, migrations.RunPython.noop
        ),
    ]
