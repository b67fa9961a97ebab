"""manage.py crossref_deposit [--since DATE] [--dry-run] [--output FILE]

Writes Crossref's deposit XML (schema 5.3.1) for the pieces with DOIs, first public on or
after --since when given. --dry-run prints it; otherwise it is written to --output FILE, or
kept in the site's storage as crossref/<batch id>.xml (beside the PDF editions, shared between
hosts), and, when CROSSREF_DEPOSIT_URL is set, posted and recorded."""

import datetime as dt
import zoneinfo
from pathlib import Path

import requests
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from commentaries.scholarly import crossref
from commentaries.scholarly.models import CrossrefDeposit


def since_date(value):
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--since {value!r}: give a date as YYYY-MM-DD.") from None
    return dt.datetime.combine(day, dt.time.min, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


class Command(BaseCommand):
    help = "Write (and with CROSSREF_DEPOSIT_URL, post) the Crossref deposit for pieces with DOIs."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="Only pieces first public on or after this date.")
        parser.add_argument("--dry-run", action="store_true", help="Print the XML; post nothing.")
        parser.add_argument("--output", help="Where to write the file.")

    def handle(self, *args, since=None, dry_run=False, output=None, **options):
        pieces = crossref.depositable().prefetch_related("corrections")
        if since:
            pieces = pieces.filter(first_published_at__gte=since_date(since))
        pieces = list(pieces)
        if not pieces:
            self.stderr.write("No piece with a DOI to deposit.")
            return
        batch_id, xml = crossref.deposit_xml(pieces)
        if dry_run:
            self.stdout.write(xml.decode())
            self.stderr.write(f"{len(pieces)} pieces in batch {batch_id} (dry run: not posted)")
            return
        if output:
            Path(output).write_bytes(xml)
            self.stdout.write(f"Wrote {len(pieces)} pieces to {output}")
        else:
            name = default_storage.save(f"crossref/{batch_id}.xml", ContentFile(xml))
            self.stdout.write(f"Stored {len(pieces)} pieces as {name} in the site's storage")
        if not settings.CROSSREF_DEPOSIT_URL:
            return
        try:
            response = crossref.post(batch_id, xml)
        except requests.RequestException as e:
            raise CommandError(f"The deposit endpoint did not answer: {e}") from None
        CrossrefDeposit.objects.bulk_create(
            CrossrefDeposit(
                commentary=piece,
                edition=crossref.edition(piece),
                doi=piece.doi,
                batch_id=batch_id,
                deposited_at=timezone.now(),
                status_code=response.status_code,
                answer=response.text[:10000],
            )
            for piece in pieces
        )
        if not 200 <= response.status_code < 300:
            raise CommandError(
                f"Crossref answered HTTP {response.status_code}: {response.text[:300]}"
            )
        self.stdout.write(f"Posted batch {batch_id}: HTTP {response.status_code}")
