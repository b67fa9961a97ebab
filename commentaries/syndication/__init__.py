"""Syndication: RSS, Atom and JSON feeds and their formats, conditional GET for feeds, WebSub
(a subscriber of the publication events, pinging the hub as a durable task) and sitemaps.

May import the domain (commentaries.models, commentaries.publishing.events), authors.models, config and
the page cache (commentaries.caching, which keeps feeds as it keeps pages). Imports no other
concern.
"""
