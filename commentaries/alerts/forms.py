from django import forms
from django.conf import settings

from commentaries.alerts import targets
from commentaries.alerts.models import Frequency

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def frequency_choices():
    day = WEEKDAYS[settings.ALERTS_DIGEST_WEEKDAY]
    return [
        (Frequency.EACH, Frequency.EACH.label),
        (Frequency.WEEKLY, f"A weekly digest, on {day}s"),
    ]


class SubscribeForm(forms.Form):
    email = forms.EmailField(label="Your e-mail address", max_length=254)
    follow = forms.CharField(max_length=320, initial="all")
    frequency = forms.ChoiceField(choices=frequency_choices, initial=Frequency.EACH)
    source = forms.CharField(max_length=500, required=False)  # the page it was sent from

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_follow(self):
        target = targets.resolve(self.cleaned_data["follow"])
        if target is None:
            raise forms.ValidationError("That series, author or topic does not exist.")
        return target
