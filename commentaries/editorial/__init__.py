"""Editorial: the admin for commentaries, its forms, the one permission rule engine, the
services that publish, schedule, withdraw, restore and correct, revisions and preview links.

May import the domain (commentaries.models, commentaries.publishing.events), authors.models and config.
Never imports syndication, search, alerts or scholarly: what publishing sets off is recorded
as publication events (commentaries.publishing.events) and the other parts subscribe to those.
"""
