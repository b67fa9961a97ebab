import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

VECTOR_INDEX = django.contrib.postgres.indexes.GinIndex(
    fields=["vector"], name="search_document_vector"
)


def add_vector_index(apps, schema_editor):
    """GIN is PostgreSQL's; SQLite keeps the column (always empty there) without an index."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("commentaries", "SearchDocument"), VECTOR_INDEX)


class Migration(migrations.Migration):

    dependencies = [
        ("commentaries", "0005_roles"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("commentary", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="search_document", serialize=False, to="commentaries.commentary")),
                ("text", models.TextField(help_text="Key points and body as plain text: the snippets' source.")),
                ("names", models.TextField(help_text="Author names and topics.")),
                ("vector", django.contrib.postgres.search.SearchVectorField(help_text="Weighted lexemes (PostgreSQL only).", null=True)),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="searchdocument", index=VECTOR_INDEX)],
            database_operations=[migrations.RunPython(add_vector_index, migrations.RunPython.noop)],
        ),
    ]
