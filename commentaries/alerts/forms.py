from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from commentaries.alerts import targets
from commentaries.alerts.models import Frequency

# Each day, every week: "on Mondays" (毎週月曜日).
WEEKLY_ON = [
    _("Mondays"), _("Tuesdays"), _("Wednesdays"), _("Thursdays"), _("Fridays"), _("Saturdays"),
    _("Sundays"),
]  # fmt: skip


def frequency_choices():
    days = WEEKLY_ON[settings.ALERTS_DIGEST_WEEKDAY]
    return [
        (Frequency.EACH, Frequency.EACH.label),
        (Frequency.WEEKLY, _("A weekly digest, on %(days)s") % {"days": days}),
    ]


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    follow = forms.CharField(max_length=320, initial="all")
    frequency = forms.ChoiceField(choices=frequency_choices, initial=Frequency.EACH)
    source = forms.CharField(max_length=500, required=False)  # the page it was sent from

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_follow(self):
        target = targets.resolve(self.cleaned_data["follow"])
        if target is None:
            raise forms.ValidationError(_("That series, author or topic does not exist."))
        return target
