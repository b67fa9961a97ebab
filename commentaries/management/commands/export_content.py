import json
import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commentaries.backup import export_content


class Command(BaseCommand):
    help = "Write all content (drafts included) to FILE as JSON keyed by natural keys."

    def add_arguments(self, parser):
        parser.add_argument("file", help='where to write; "-" for standard output')

    def handle(self, *args, file, **options):
        text = json.dumps(export_content(), ensure_ascii=False, indent=1) + "\n"
        if file == "-":
            sys.stdout.write(text)
            return
        # Write beside the target, then rename: a failed export never clobbers the last one.
        target = Path(file)
        partial = target.with_name(f".{target.name}.partial")
        try:
            partial.write_text(text, encoding="utf-8")
            os.replace(partial, target)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from error
        self.stdout.write(f"Exported to {file}.")
