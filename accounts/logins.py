"""Login throttling (django-axes): per username and address, and per address against spraying.

AXES_FAILURE_LIMIT failures for one username from one client address lock that pair out, so
someone guessing from one place never locks the right password out from another. An address
that has failed LOGIN_ADDRESS_FAILURE_LIMIT times in the cool-off period, whatever usernames it
tried, is locked out as well: that is password spraying, not a colleague's typo.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


class PairAndAddressHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None):
        return super().is_locked(request, credentials) or address_locked(request)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and address_locked(request):
            request.axes_locked_out = True  # the lockout page, as for a locked-out pair


def address_locked(request):
    failures = address_failures(get_client_ip_address(request))
    return failures >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


def address_failures(address):
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
