"""A sign-in between its two steps, kept in the session, and django-axes' count of both steps.

The right password of someone who needs a second step does not sign them in: the session
remembers who they are for PENDING_SECONDS, and only the code (or, for someone who must set up
two-step sign-in first, the first code from the new app) completes Django's login(). So a
password alone never yields a signed-in session, on the admin or anywhere else.

A wrong code is a failed login to django-axes, counted against the same username and client
address as a wrong password; a client or user locked out is refused at the code step as at the
password step; django-axes resets the count when the login completes.
"""

import time

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model, user_login_failed
from django.contrib.auth import login as auth_login
from django.utils.crypto import constant_time_compare
from django_otp import login as otp_login

PENDING = "accounts_pending_sign_in"
PENDING_SECONDS = 10 * 60


def begin(request, user, next_url, backend=None):
    """The password was right; the second step is still to come."""
    request.session.cycle_key()  # a new session id for the half-signed-in visitor
    request.session[PENDING] = {
        "user": str(user.pk),
        "backend": backend
        or getattr(user, "backend", None)
        or request.session.get(BACKEND_SESSION_KEY),
        "hash": user.get_session_auth_hash(),
        "since": time.time(),
        "next": next_url,
    }


def pending(request):
    """(user, next address) of the sign-in waiting for its second step, or (None, None).

    Forgotten when it is older than PENDING_SECONDS, or when the account changed meanwhile
    (password changed, deactivated, no longer staff).
    """
    data = request.session.get(PENDING)
    try:
        user = get_user_model()._default_manager.filter(pk=data["user"]).first()
        fresh = 0 <= time.time() - float(data["since"]) < PENDING_SECONDS
    except (TypeError, KeyError, ValueError):  # not what begin() wrote
        user, fresh = None, False
    if (
        user is None
        or not fresh
        or not user.is_active
        or not user.is_staff
        or not constant_time_compare(str(data.get("hash")), user.get_session_auth_hash())
    ):
        request.session.pop(PENDING, None)
        return None, None
    user.backend = data.get("backend") or settings.AUTHENTICATION_BACKENDS[-1]
    return user, data.get("next")


def finish(request, user, device):
    """The second step passed: Django's login, then django-otp's mark that it was verified."""
    if not request.user.is_authenticated or request.user.pk != user.pk:
        backend = getattr(user, "backend", None)
        auth_login(request, user, backend=backend)
    request.session.pop(PENDING, None)
    otp_login(request, device)


def credentials(user):
    return {"username": user.get_username()}


def locked_out(request, user):
    """django-axes' refusal when this client, or this user from here, is locked out; else None."""
    if AxesProxyHandler.is_allowed(request, credentials(user)):
        return None
    return get_lockout_response(request, None, credentials(user))


def record_failure(request, user):
    """A wrong code: one more failed login for django-axes; its refusal if that locked them out."""
    user_login_failed.send(sender=__name__, credentials=credentials(user), request=request)
    if getattr(request, "axes_locked_out", False):
        request.axes_locked_out = False  # answered here, not again by AxesMiddleware
        return get_lockout_response(request, None, credentials(user))
    return None
