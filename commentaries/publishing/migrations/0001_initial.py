import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("commentaries", "0016_desk"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The table commentaries made in its 0009; only the state moves here.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PublicationEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("public", "Became public"),
                                    ("corrected", "Major correction"),
                                    ("withdrawn", "Withdrawn"),
                                    ("unpublished", "Unpublished"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "version",
                            models.PositiveIntegerField(
                                help_text="The release for public, withdrawn and unpublished; the correction's id for corrected."
                            ),
                        ),
                        ("occurred_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "commentary",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="events",
                                to="commentaries.commentary",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "commentaries_publicationevent",
                        "ordering": ["occurred_at", "pk"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("commentary", "kind", "version"),
                                name="one_event_per_piece_kind_version",
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.CreateModel(
            name="ReviewNote",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("submitted", "Submitted for review"),
                            ("returned", "Returned to author"),
                        ],
                        max_length=20,
                    ),
                ),
                ("note", models.TextField(blank=True)),
                ("made_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("notified_at", models.DateTimeField(blank=True, null=True)),
                (
                    "commentary",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="review_notes",
                        to="commentaries.commentary",
                    ),
                ),
                (
                    "made_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-made_at", "-pk"],
                "indexes": [
                    models.Index(fields=["commentary", "-made_at"], name="review_notes_newest")
                ],
            },
        ),
    ]
