"""Admin forms: rich text, the role rules for status, stale-save refusal, corrections."""

from django import forms
from django.utils import timezone
from django.utils.text import slugify

from commentaries.editorial import permissions
from commentaries.models import Commentary


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
            "withdrawal_reason",
            "doi",
            "body",
            "summary",
            "tags",
            "language",
        ]

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
        self.refuse_stale_save(cleaned.get("seen_version", ""))
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

    def refuse_stale_save(self, seen):
        """Refuse to overwrite a save made by someone else after this form was opened."""
        if not self.instance.pk:
            return
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
