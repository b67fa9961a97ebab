"""Publishing: the one write path for a piece's editorial state.

Owns the services (save a draft, submit for review, return to the author, publish, schedule,
unpublish, withdraw, restore, correct), the publication events derived from the pieces' state
(events.py) with their records, and the review notes with the e-mails they send. Nothing else
writes status, publication and first-public times, release, or withdrawal time and reason.

May import the domain (commentaries.models), authors.models, and the editorial rules
(commentaries.editorial.permissions, commentaries.editorial.revisions). Whatever reacts to
publishing (feeds, alerts, the scholarly record, caches) subscribes to its events; this package
imports none of them.
"""
