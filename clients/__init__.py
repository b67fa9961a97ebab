"""Who is asking: the client's address behind the site's trusted proxies.

Every per-client limit keys on clients.address.client_address (django-axes for logins, the
alerts' subscribe throttle), and the access log prints it, so one client is one address
everywhere. Imports Django's settings and nothing of the project; anything may import it.
"""
