"""The front cache (Varnish, or a CDN with the same purge contract) told what changed.

Publication events (commentaries.publishing.events) enqueue a durable task that sends a BAN to
FRONT_CACHE_URL; without that setting nothing is enqueued. The receivers are connected by
commentaries/apps.py. Depends on the domain only.
"""
