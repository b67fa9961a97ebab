"""Admin forms: the role rules for status, stale-save refusal, numbers, publication time,
corrections.

The checks that race with other editors (stale save, a number just taken) lock the rows they
read: CommentaryAdmin validates and saves in one transaction, so the check and the write are
one step and two people pressing Save at once cannot both succeed.
"""

from django import forms
from django.utils import timezone
from django.utils.text import slugify

from commentaries.editorial import permissions
from commentaries.editorial.topics import TopicsField
from commentaries.publishing import services
from commentaries.models import Commentary, Series


def version_stamp(commentary):
    """What the form remembers of the version it was opened on."""
    return commentary.updated_at.isoformat() if commentary.updated_at else ""


class CommentaryAdminForm(forms.ModelForm):
    seen_version = forms.CharField(widget=forms.HiddenInput, required=False)
    major_correction = forms.BooleanField(
        required=False,
        help_text="Readers see the note below with today's date, and feed readers show the "
        "piece as updated. Leave unticked for typo fixes.",
    )
    correction_note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Shown to readers."
    )

    user = None  # set per request by CommentaryAdmin.get_form

    class Meta:
        model = Commentary
        fields = [
            "series",
            "number",
            "title",
            "slug",
            "status",
            "published_at",
            "published_at_set_by_hand",
            "withdrawal_reason",
            "doi",
            "body",
            "summary",
            "tags",
            "language",
        ]
        field_classes = {"tags": TopicsField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["seen_version"] = version_stamp(self.instance)
        if "status" in self.fields and not permissions.can_publish(self.user):
            allowed = {Commentary.Status.DRAFT, Commentary.Status.IN_REVIEW}
            self.fields["status"].choices = [
                (value, label)
                for value, label in self.fields["status"].choices
                if value in allowed
            ]

    def clean(self):
        cleaned = super().clean()
        self.refuse_taken_number(cleaned.get("series"), cleaned.get("number"))
        self.refuse_stale_save(cleaned.get("seen_version", ""))
        if "published_at" in self.changed_data:
            cleaned["published_at_set_by_hand"] = True  # a time typed in is meant
        status = cleaned.get("status")
        if status == Commentary.Status.WITHDRAWN and not cleaned.get("withdrawal_reason"):
            self.add_error("withdrawal_reason", "Say why the piece is withdrawn; readers see it.")
        if cleaned.get("major_correction") and not cleaned.get("correction_note", "").strip():
            self.add_error("correction_note", "A major correction needs a note for readers.")
        return cleaned

    def clean_number(self):
        number = self.cleaned_data["number"]
        if self.instance.number_is_fixed and number != self.instance.number:
            raise forms.ValidationError(
                f"No.{self.instance.number} has been published; its number cannot change."
            )
        return number

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        unnamed = [tag for tag in tags if not slugify(tag, allow_unicode=True)]
        if unnamed:
            raise forms.ValidationError(
                f"A topic needs at least one letter or digit: {', '.join(unnamed)}"
            )
        return tags

    def clean_status(self):
        status = self.cleaned_data["status"]
        publishing = status in (Commentary.Status.PUBLISHED, Commentary.Status.WITHDRAWN)
        if (
            publishing
            and status != self.instance.status
            and not permissions.can_publish(self.user)
        ):
            raise forms.ValidationError("Only editors publish or withdraw; submit it for review.")
        return status

    def refuse_taken_number(self, series, number):
        """A number someone else took since the form was opened is named, with the next free
        one. The series row is locked first, so two adds proposing the same number queue up
        and the second sees the first's piece."""
        if series is None or number is None:
            return
        if self.instance.pk and (series.pk, number) == (
            self.instance.series_id,
            self.instance.number,
        ):
            return
        Series.objects.select_for_update().get(pk=series.pk)
        taken = Commentary.objects.filter(series=series, number=number).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            self.add_error(
                "number",
                f"No.{number} is already taken in {series}; the next free number is "
                f"{services.next_free_number(series)}.",
            )

    def refuse_stale_save(self, seen):
        """Refuse to overwrite a save made by someone else after this form was opened.

        The row stays locked until the save commits, so a concurrent save waits here and then
        sees this one's stamp."""
        if not self.instance.pk:
            return
        # Lock first, then read: a row a lock waited for is re-read, rows joined to it are not.
        list(Commentary.objects.select_for_update().filter(pk=self.instance.pk).values("pk"))
        current = (
            Commentary.objects.filter(pk=self.instance.pk)
            .select_related("updated_by")
            .only("updated_at", "updated_by__username")
            .first()
        )
        if current is None or version_stamp(current) == seen:
            return
        who = current.updated_by.get_username() if current.updated_by else "Someone"
        when = timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M:%S %Z")
        raise forms.ValidationError(
            f"{who} saved this commentary at {when}, after you opened it. Nothing you typed "
            "has been saved, and it is all still in this form: copy what you need, then reload "
            "the page to work on the current version.",
            code="stale",
        )
