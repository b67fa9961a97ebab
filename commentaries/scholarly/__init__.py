"""The scholarly record: the archival PDF edition of each piece, Crossref deposits of DOIs, and
the OAI-PMH repository that open archives harvest.

Owns its models (PDF renditions, Crossref deposits), the /commentaries/<n>/pdf/ and /oai/
views, the crossref_deposit command and the tasks that publication events enqueue. May import
the domain (commentaries.models, events) and config; no other concern imports it (reading names
the PDF's address by its URL name only), and it imports none of them."""
