"""Rebuild search documents: after a change to how they are made (Japanese cut into words came
with one), for the pieces it concerns."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from commentaries.models import Commentary
from commentaries.search.index import index_commentaries

BATCH = 500


class Command(BaseCommand):
    help = "Rebuild the search documents of every piece, or of the pieces in one language."

    def add_arguments(self, parser):
        parser.add_argument("--language", help="Only pieces in this language (e.g. ja).")

    def handle(self, *, language, verbosity, **options):
        pieces = Commentary.objects.order_by("pk")
        if language:
            pieces = pieces.filter(language=language)
        ids = list(pieces.values_list("pk", flat=True))
        with tqdm(total=len(ids), unit="piece", disable=verbosity == 0) as progress:
            for start in range(0, len(ids), BATCH):
                index_commentaries(ids[start : start + BATCH])
                progress.update(len(ids[start : start + BATCH]))
        if verbosity:
            self.stdout.write(f"Reindexed {len(ids)} piece{'s' * (len(ids) != 1)}.")
