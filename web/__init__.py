"""What every request passes through, whatever it asks for: the access log, the refusal of
malformed addresses, the health check, the error page, the template context every page gets,
and EMAIL_URL read into Django's settings.

Holds no domain knowledge: imports Django and the client address (clients.address), never
commentaries or authors. config's settings and URLs name what is here; the page cache's WSGI
front logs through access_log.
"""
