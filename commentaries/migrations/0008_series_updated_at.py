import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("commentaries", "0007_constraint_messages")]

    operations = [
        migrations.AddField(
            model_name="series",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
    ]
