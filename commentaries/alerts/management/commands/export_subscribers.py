"""Write every subscriber with their consent records, for the site's owner (export_content
leaves them out)."""

import json
import sys

from django.core.management.base import BaseCommand

from commentaries.alerts import targets
from commentaries.alerts.models import Subscriber


def when(value):
    return value.isoformat() if value else None


class Command(BaseCommand):
    help = "Write subscribers and their consent records as JSON (to FILE, or - for stdout)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-")

    def handle(self, *, file, **options):
        subscribers = Subscriber.objects.prefetch_related("subscriptions")
        labels = targets.labels(
            s.target for subscriber in subscribers for s in subscriber.subscriptions.all()
        )
        data = [
            {
                "email": s.email,
                "consented_at": when(s.consented_at),
                "subscribed_on": s.source,
                "disabled_at": when(s.disabled_at),
                "disabled_reason": s.disabled_reason,
                "subscriptions": [
                    {
                        "follows": labels.get(sub.target, sub.target),
                        "target": sub.target,
                        "frequency": sub.frequency,
                        "confirmed_at": when(sub.confirmed_at),
                        "subscribed_on": sub.source,
                    }
                    for sub in s.subscriptions.all()
                ],
            }
            for s in subscribers
        ]
        text = json.dumps({"subscribers": data}, indent=2, ensure_ascii=False) + "\n"
        if file == "-":
            sys.stdout.write(text)
        else:
            with open(file, "w", encoding="utf-8") as out:
                out.write(text)
            self.stderr.write(f"Wrote {len(data)} subscriber(s) to {file}.")
