from django import forms
from django.contrib.auth import authenticate

from accounts import two_factor


class CodeForm(forms.Form):
    """One box for the six digits from the app, or for a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=40,
        strip=True,
        error_messages={"required": "Type the code your app shows."},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
                "inputmode": "text",
                "size": 12,
            }
        ),
    )

    def __init__(self, *args, user, device=None, recovery=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.device, self.recovery = user, device, recovery
        self.verified = None
        self.wrong = False  # a code was tried and refused: django-axes counts it
        if not recovery:
            self.fields["code"].widget.attrs["inputmode"] = "numeric"

    def clean_code(self):
        code = self.cleaned_data["code"]
        normalised = two_factor.normalise(code)
        if not self.recovery and not two_factor.is_app_code(normalised):
            self.wrong = bool(normalised)
            raise forms.ValidationError("Type the six digits your app shows.")
        wait = two_factor.wait_seconds(self.user, normalised, device=self.device)
        if wait:  # django-otp's back-off after misses in a row: the code is not even tried
            self.wrong = True
            raise forms.ValidationError(
                "Too many wrong codes in a row. Wait %(seconds)s seconds, then type the code "
                "your app shows then.",
                params={"seconds": wait},
            )
        self.verified = two_factor.verify(self.user, normalised, device=self.device)
        if self.verified is None:
            self.wrong = True
            raise forms.ValidationError(
                "That code did not work. Codes change every 30 seconds: type the one your app "
                "shows now."
                if self.recovery is False or two_factor.is_app_code(normalised)
                else "That code did not work. Type the code from your app, or a recovery code "
                "you have not used before."
            )
        return code


class PasswordForm(forms.Form):
    """Your password again, before two-step sign-in is turned off."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        # Through authenticate(), so django-axes counts a wrong password here too.
        checked = authenticate(self.request, username=user.get_username(), password=password)
        if checked is None or checked.pk != user.pk:
            raise forms.ValidationError("That is not your password.")
        return password
