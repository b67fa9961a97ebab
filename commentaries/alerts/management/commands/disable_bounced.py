"""Stop writing to addresses that hard-bounced: one address per line (a mail server's bounce
report reduced to its addresses; anything after the address on a line is ignored)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from commentaries.alerts.models import Subscriber


class Command(BaseCommand):
    help = "Disable the subscribers whose addresses are listed in FILE (hard bounces)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--reason", default="hard bounce")

    def handle(self, *, file, reason, **options):
        try:
            with open(file, encoding="utf-8") as lines:
                words = [line.split() for line in lines]
        except (OSError, UnicodeDecodeError) as e:
            raise CommandError(f"{file}: {e}") from e
        addresses = set()
        for number, parts in enumerate(words, 1):
            if not parts or parts[0].startswith("#"):
                continue
            address = parts[0].strip("<>,;").lower()
            try:
                validate_email(address)
            except ValidationError as e:
                raise CommandError(
                    f"{file}, line {number}: {address!r} is not an e-mail address; nothing was changed."
                ) from e
            addresses.add(address)
        with transaction.atomic():
            disabled = Subscriber.objects.filter(email__in=addresses, disabled_at=None).update(
                disabled_at=timezone.now(), disabled_reason=reason[:200]
            )
        self.stdout.write(f"Disabled {disabled} of {len(addresses)} listed address(es).")
