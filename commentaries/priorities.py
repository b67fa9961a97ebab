"""The task priorities, in one place: the worker claims the highest first (Django's Tasks
priority, -100 to 100; a task without one is 0), so a confirmation or the next piece's pings
are never queued behind an alert blast.

Names are stable; other concerns import them (`@task(priority=priorities.PUBLICATION)`).
"""

# Someone is waiting for it: a subscriber's confirmation link, an editor's review note.
CONFIRMATION = 50
# A piece's publication work: recording its events, WebSub pings, front-cache bans, PDFs,
# Crossref deposits.
PUBLICATION = 20
# Everything else (Django's default).
DEFAULT = 0
# Bulk sending: alert fan-out and sends, weekly digests. Thousands at a time, and no one of
# them is urgent.
ALERT = -50
# Work over a whole archive, started by an operator or a load (render_pdfs, the PDFs of a
# restored backup or a generated archive): hours of it, behind everything readers wait for.
BACKFILL = -80
