"""Caching: everything that keeps or answers a copy of what public pages show.

Owns the content generation (its model, ContentGeneration, and freshness: one number read by
primary key that moves with every change pages can show, and with a scheduled piece's time),
the page cache and its conditional GET for pages and feeds alike (pages), the WSGI front that
answers kept pages before Django (front), values kept per generation (search's filter choices),
front-cache bans (frontcache: every Varnish node or CDN, told by publication events), the read
replica's router (replica: public pages read it, pinned for the request, generation included)
and the forgiving Redis backend (backends). Its receivers (receivers.py) are imported by its AppConfig.ready().

May import the domain (commentaries.models, commentaries.publishing.events), authors.models and the site's
HTTP helpers (web). Imports no other concern; reading, syndication, search and authors' URLs
import it to mark pages and read the generation. Neither the domain nor editorial imports it.
"""
