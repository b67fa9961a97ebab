"""Editorial: the admin for commentaries, its forms, the one permission rule engine, the
services that publish, schedule, withdraw, restore and correct, revisions and preview links.

May import the domain (commentaries.models), the publishing room (commentaries.publishing),
authors.models, the admin's rich text (commentaries.rich_text) and config. Never imports
syndication, search, alerts, scholarly or caching: what publishing sets off is recorded as
publication events (commentaries.publishing.events) and the other parts subscribe to those (the
content generation moves on its own, with every save).
"""
