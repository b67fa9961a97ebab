"""What the editors' desk shows of alerts: how many alerts of each recently published piece
went out, and alerts still unsent an hour after they were planned (a send that failed for good,
or a worker that is not running). Named on AlertsConfig.desk_providers; editorial reads them
from there (commentaries.editorial.desk.providers), and this module imports nothing of it."""

import datetime as dt

from django.db.models import Count, Min, Q

from commentaries.alerts.models import Delivery

# A send that cannot reach the mail server is tried again for 31 minutes (tasks.RETRIES).
UNSENT_AFTER = dt.timedelta(hours=1)


class AlertsSent:
    permission = "alerts.view_subscriber"
    heading = "Alerts"

    def column(self, pieces):
        figures = (
            Delivery.objects.filter(commentary__in=pieces)
            .values("commentary_id")
            .annotate(
                sent=Count("pk", filter=Q(sent_at__isnull=False)),
                waiting=Count("pk", filter=Q(sent_at=None, skipped="")),
            )
            .order_by()
        )
        cells = {}
        for row in figures:
            sent, waiting = row["sent"], row["waiting"]
            if waiting:
                cells[row["commentary_id"]] = (f"{sent:,} sent, {waiting:,} to go", "waiting")
            else:
                cells[row["commentary_id"]] = (f"{sent:,} sent", "good" if sent else "")
        return {piece.pk: cells.get(piece.pk, ("none", "")) for piece in pieces}

    def attention(self, now, limit):
        """Pieces with alerts unsent after UNSENT_AFTER: on the unsent_deliveries index, which
        holds only the rows not yet sent or skipped."""
        unsent = (
            Delivery.objects.filter(sent_at=None, skipped="", created_at__lt=now - UNSENT_AFTER)
            .values("commentary_id")
            .annotate(count=Count("pk"), since=Min("created_at"))
            .order_by("-since")[:limit]
        )
        return [
            (row["commentary_id"], f"{row['count']:,} e-mail alert{'s' * (row['count'] != 1)} not sent", row["since"])
            for row in unsent
        ]  # fmt: skip
