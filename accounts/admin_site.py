"""The admin site's part in two-step sign-in: a mixin for the project's AdminSite.

It makes the password step Django's login form, except that someone who needs a second step is
not signed in by it (accounts.views.PasswordStepView); and it lets no admin view serve a
session signed in with a password alone by someone who needs a second step (one signed in
before ADMIN_REQUIRE_2FA was switched on, or before they set up an app elsewhere): that session
is signed out and sent to the step they owe.
"""

import functools

from django.contrib.auth import BACKEND_SESSION_KEY, REDIRECT_FIELD_NAME
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts import steps, two_factor


def second_step_done(request):
    """Signed in, and with the app's code where the person needs one (asked once a request)."""
    done = getattr(request, "_accounts_second_step_done", None)
    if done is None:
        user = request.user
        is_verified = getattr(user, "is_verified", None)  # django-otp's OTPMiddleware
        done = user.is_authenticated and (
            bool(is_verified and is_verified()) or not two_factor.needs_second_step(user)
        )
        request._accounts_second_step_done = done
    return done


def owe_second_step(request, next_url=None):
    user = request.user
    backend = request.session.get(BACKEND_SESSION_KEY)
    if next_url is None:
        next_url = request.get_full_path() if request.method == "GET" else reverse("admin:index")
    auth_logout(request)
    steps.begin(request, user, next_url, backend=backend)
    return redirect("accounts:code" if two_factor.is_on(user) else "accounts:set_up")


class TwoStepSignInMixin:
    def has_permission(self, request):
        return super().has_permission(request) and second_step_done(request)

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        @functools.wraps(guarded)
        def asking_for_the_second_step(request, *args, **kwargs):
            user = request.user
            if user.is_active and user.is_staff and not second_step_done(request):
                return owe_second_step(request)
            return guarded(request, *args, **kwargs)

        return asking_for_the_second_step

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        """Django's AdminSite.login, with the password step's view."""
        from django.contrib.admin.forms import AdminAuthenticationForm

        from accounts.views import PasswordStepView

        redirect_url = PasswordStepView().get_redirect_url(request) or reverse(
            "admin:index", current_app=self.name
        )
        if request.method == "GET" and self.has_permission(request):
            return redirect(redirect_url)
        user = request.user
        if request.method == "GET" and user.is_active and user.is_staff:
            return owe_second_step(request, redirect_url)  # signed in, the second step owed
        context = {
            **self.each_context(request),
            "title": _("Log in"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
            REDIRECT_FIELD_NAME: redirect_url,
            **(extra_context or {}),
        }
        request.current_app = self.name
        return PasswordStepView.as_view(
            extra_context=context,
            authentication_form=self.login_form or AdminAuthenticationForm,
            template_name=self.login_template or "admin/login.html",
        )(request)
