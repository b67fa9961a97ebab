"""Limits on subscribe requests, so the form cannot be used to flood anyone's mailbox.

Per address (ALERTS_PER_ADDRESS a day): further requests are accepted and answered as usual,
but no e-mail goes out, so the answer says nothing about the address. Per client address
(ALERTS_PER_CLIENT an hour): further requests get 429. Both count SignupRequest rows, shared
by every process. The client is clients.address.client_address, the address logins count:
behind DJANGO_PROXY_COUNT trusted proxies, the one they appended, never the proxy's own.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from commentaries.alerts.models import SignupRequest


def client_limited(client):
    since = timezone.now() - timedelta(hours=1)
    recent = SignupRequest.objects.filter(client=client, requested_at__gte=since)
    return recent.count() >= settings.ALERTS_PER_CLIENT


def address_limited(email):
    since = timezone.now() - timedelta(days=1)
    recent = SignupRequest.objects.filter(email=email, mailed=True, requested_at__gte=since)
    return recent.count() >= settings.ALERTS_PER_ADDRESS
