"""ContentGeneration now belongs to the caching app (caching.0001_initial): it leaves this app's
migration state only. The table keeps its name and its row."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("commentaries", "0014_search_vector_inline_and_topic_index"),
        ("caching", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ContentGeneration")],
            database_operations=[],
        ),
    ]
