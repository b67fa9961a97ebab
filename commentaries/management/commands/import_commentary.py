from pathlib import Path
from types import SimpleNamespace

import reversion
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from authors.models import Author, AuthorName
from commentaries import importer
from commentaries.models import Authorship, Commentary, KeyPoint, Series
from commentaries.publishing import events

MODELS = SimpleNamespace(
    Series=Series,
    Author=Author,
    AuthorName=AuthorName,
    Commentary=Commentary,
    KeyPoint=KeyPoint,
    Authorship=Authorship,
)


class Command(BaseCommand):
    help = "Import commentaries from files in the plain-text layout of the seed commentary."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; write nothing."
        )

    def handle(self, *args, files, dry_run, **options):
        parsed = []
        for name in files:
            try:
                text = importer.decode(Path(name).read_bytes())
                parsed.append((name, importer.parse(text)))
            except OSError as error:
                raise CommandError(f"{name}: cannot read: {error.strerror}") from None
            except importer.LayoutError as error:
                raise CommandError(f"{name}:{error.line}: {error.message}") from None

        # All files or none: one transaction, rolled back for a dry run.
        with transaction.atomic():
            for name, commentary in parsed:
                with reversion.create_revision():
                    try:
                        result, saved = importer.save(commentary, models=MODELS)
                    except importer.LayoutError as error:  # a translation without its original
                        raise CommandError(f"{name}:{error.line}: {error.message}") from None
                    if result != "unchanged":
                        reversion.add_to_revision(saved)
                        reversion.set_comment(f"Imported from {Path(name).name}")
                verb = {"created": "would create", "updated": "would update"}.get(result, result)
                self.stdout.write(f"{name}: {verb if dry_run else result} {saved}")
                if not dry_run:
                    # Announced as a publication is, in this transaction: its events recorded
                    # once, which queues its PDF edition (and its readers' alerts) with it.
                    events.reconcile(saved.pk)
            if dry_run:
                transaction.set_rollback(True)
