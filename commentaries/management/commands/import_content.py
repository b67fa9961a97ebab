import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commentaries.backup import ContentFileError, import_content


class Command(BaseCommand):
    help = (
        "Import FILE, written by export_content: what the database holds is updated in place, "
        "the rest added. All or nothing: on any problem, nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help='the export to read; "-" for standard input')

    def handle(self, *args, file, **options):
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
            counts = import_content(json.loads(text))
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{file}: not a JSON file: {error}") from error
        except ContentFileError as error:
            raise CommandError(f"{file}: {error}; nothing was imported") from error
        self.stdout.write(
            f"Imported {counts['commentaries']} commentaries ({counts['new commentaries']} new), "
            f"{counts['authors']} authors and {counts['series']} series from {file}."
        )
