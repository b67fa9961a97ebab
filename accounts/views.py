"""The sign-in steps and each person's two-step sign-in page, all inside the admin's look.

The code step and the set-up page serve someone between the two steps (signed in by neither);
the rest serve people signed in to the admin, and only about themselves.
"""

from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import LoginView
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import steps, two_factor
from accounts.forms import CodeForm, PasswordForm

SHOW_CODES = "accounts_recovery_codes"


class PasswordStepView(LoginView):
    """Django's login view, except that a person who needs a second step is not signed in yet."""

    def get_default_redirect_url(self):
        return reverse("admin:index")

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.needs_second_step(user):
            return super().form_valid(form)
        steps.begin(self.request, user, self.get_success_url())
        return redirect("accounts:code" if two_factor.is_on(user) else "accounts:set_up")


def safe_next(request, url):
    allowed = url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else reverse("admin:index")


def page(request, template, title, **context):
    context = {**admin.site.each_context(request), "title": title, **context}
    return render(request, template, context)


def signed_in(request):
    """The person signed in to the admin (both steps done, where they need both), or None."""
    return request.user if admin.site.has_permission(request) else None


def start_again(request):
    messages.info(request, "Please sign in again.")
    return redirect("admin:login")


@never_cache
def code(request):
    """The second step: the code from the app, or a recovery code."""
    user, next_url = steps.pending(request)
    if user is None:
        return redirect("admin:index") if signed_in(request) else start_again(request)
    if not two_factor.is_on(user):
        return redirect("accounts:set_up")
    refusal = steps.locked_out(request, user)
    if refusal is not None:
        return refusal
    form = CodeForm(request.POST or None, user=user)
    if request.method == "POST":
        if form.is_valid():
            steps.finish(request, user, form.verified)
            if two_factor.is_recovery_code(form.verified):
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"You signed in with a recovery code, which now no longer works. You have "
                    f"{left} left: make new ones under “Two-step sign-in” if you are running low.",
                )
            return HttpResponseRedirect(safe_next(request, next_url))
        if form.wrong:
            refusal = steps.record_failure(request, user)
            if refusal is not None:
                return refusal
    return page(request, "accounts/code.html", "Enter your code", form=form, person=user)


@never_cache
def set_up(request):
    """Show the secret as a QR code and as text; the first code from the app turns it on."""
    user = signed_in(request)
    next_url = reverse("accounts:two_factor")
    if user is None:
        user, next_url = steps.pending(request)
        if user is None:
            return start_again(request)
        if two_factor.is_on(user):
            return redirect("accounts:code")  # a new phone is set up after signing in
    device = two_factor.unconfirmed_authenticator(user)
    form = CodeForm(request.POST or None, user=user, device=device, recovery=False)
    if request.method == "POST":
        refusal = steps.locked_out(request, user)
        if refusal is not None:
            return refusal
        if form.is_valid():
            codes = two_factor.confirm(device)
            steps.finish(request, user, device)
            request.session[SHOW_CODES] = {"codes": codes, "next": next_url}
            messages.success(request, "Two-step sign-in is on.")
            return redirect("accounts:recovery_codes")
        if form.wrong:
            refusal = steps.record_failure(request, user)
            if refusal is not None:
                return refusal
    return page(
        request,
        "accounts/set_up.html",
        "Set up two-step sign-in",
        form=form,
        person=user,
        required=two_factor.required(user),
        replacing=two_factor.is_on(user),
        qr_code=two_factor.qr_code(device),
        secret=two_factor.secret(device),
        otpauth=device.config_url,
    )


@never_cache
def two_factor_page(request):
    """What a person's two-step sign-in is, and what they can do about it."""
    user = signed_in(request)
    if user is None:
        return redirect(f"{reverse('admin:login')}?{REDIRECT_FIELD_NAME}={request.path}")
    app = two_factor.authenticator(user)
    return page(
        request,
        "accounts/two_factor.html",
        "Two-step sign-in",
        app=app,
        required=two_factor.required(user),
        codes_left=two_factor.recovery_codes_left(user) if app else 0,
    )


@never_cache
def recovery_codes(request):
    """New recovery codes (POST), shown once (GET) and never again."""
    shown = request.session.get(SHOW_CODES)
    user = signed_in(request)
    if user is None:
        return start_again(request)
    if request.method == "POST":
        if not two_factor.is_on(user):
            return redirect("accounts:two_factor")
        codes = two_factor.new_recovery_codes(user)
        request.session[SHOW_CODES] = {"codes": codes, "next": reverse("accounts:two_factor")}
        messages.success(request, "Your old recovery codes no longer work; here are new ones.")
        return redirect("accounts:recovery_codes")
    request.session.pop(SHOW_CODES, None)
    if not isinstance(shown, dict) or not shown.get("codes"):
        return redirect("accounts:two_factor")
    return page(
        request,
        "accounts/recovery_codes.html",
        "Your recovery codes",
        codes=[two_factor.shown(c) for c in shown["codes"]],
        next_url=safe_next(request, shown.get("next")),
    )


@never_cache
def turn_off(request):
    """Turn two-step sign-in off, after the password again; not for those who must use it."""
    user = signed_in(request)
    if user is None:
        return start_again(request)
    if not two_factor.is_on(user) or two_factor.required(user):
        return redirect("accounts:two_factor")
    form = PasswordForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        two_factor.turn_off(user)
        messages.success(request, "Two-step sign-in is off. Your password alone now signs you in.")
        return redirect("accounts:two_factor")
    return page(request, "accounts/turn_off.html", "Turn off two-step sign-in", form=form)


@require_POST
def cancel(request):
    """Leave a sign-in between its steps."""
    request.session.pop(steps.PENDING, None)
    return redirect("admin:login")
