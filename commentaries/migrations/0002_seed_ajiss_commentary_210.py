"""Load the seed, AJISS-Commentary No.210, through the importer's parser, and tag it."""

from pathlib import Path
from types import SimpleNamespace

from django.db import migrations

SEED = Path(__file__).resolve().parent.parent / "seed" / "ajiss-commentary-210.txt"
TOPICS = [
    ("Japan-ROK relations", "japan-rok-relations"),
    ("East Asian security", "east-asian-security"),
    ("History issues", "history-issues"),
]


def load_seed(apps, schema_editor):
    from commentaries import importer

    models = SimpleNamespace(
        Series=apps.get_model("commentaries", "Series"),
        Author=apps.get_model("authors", "Author"),
        Commentary=apps.get_model("commentaries", "Commentary"),
        KeyPoint=apps.get_model("commentaries", "KeyPoint"),
        Authorship=apps.get_model("commentaries", "Authorship"),
    )
    parsed = importer.parse(importer.decode(SEED.read_bytes()))
    _, commentary = importer.save(parsed, models=models)

    Tag = apps.get_model("taggit", "Tag")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="commentaries", model="commentary")
    for name, slug in TOPICS:
        tag, _ = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
        TaggedItem.objects.get_or_create(
            tag=tag, content_type=content_type, object_id=commentary.pk
        )


class Migration(migrations.Migration):
    dependencies = [
        ("commentaries", "0001_initial"),
        ("authors", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(load_seed, migrations.RunPython.noop)]
