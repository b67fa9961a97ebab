"""The scholarly record: the archival PDF edition of each piece, Crossref deposits of DOIs, and
the OAI-PMH repository that open archives harvest.

Owns its models (PDF renditions, Crossref deposits), the /commentaries/<n>/pdf/ and /oai/
views, the crossref_deposit command and the tasks that publication events enqueue. May import
the domain (commentaries.models, events, identifiers) and the reading code (metadata, for the
canonical description of a piece); nothing imports it but config (settings, urls)."""
