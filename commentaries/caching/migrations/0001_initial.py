"""ContentGeneration moves here from the commentaries app: in the migration state only. Its
table, made by commentaries' 0011, keeps its name and its row."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("commentaries", "0014_search_vector_inline_and_topic_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ContentGeneration",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("number", models.PositiveBigIntegerField(default=0)),
                        ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("next_go_live", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={"db_table": "commentaries_contentgeneration"},
                ),
            ],
            database_operations=[],
        ),
    ]
