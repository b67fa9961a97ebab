"""The commentary's admin form: content, and which publishing action its button asks for.

The form edits content only; the pressed button (`_action`) names a step of the publishing
services, which the form checks against the rules and the pre-publish checks before anything
is saved, so a refused step writes nothing and says why beside the buttons.

The checks that race with other editors (stale save, a number just taken) lock the rows they
read: CommentaryAdmin validates and saves in one transaction, so the check and the write are
one step and two people pressing Save at once cannot both succeed.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from commentaries.editorial import checks
from commentaries.editorial.topics import TopicsField
from commentaries.media import figures
from commentaries.media.forms import PictureUploadMixin, upload_fields
from commentaries.models import Authorship, Commentary, KeyPoint, Series
from commentaries.publishing import services
from commentaries.publishing.services import Action

# What a new piece may start as (the add form): each is the step its first save takes.
START_AS = {
    Commentary.Status.DRAFT: Action.SAVE,
    Commentary.Status.IN_REVIEW: Action.SUBMIT,
    Commentary.Status.PUBLISHED: Action.PUBLISH,
}


def version_stamp(commentary):
    """What the form remembers of the version it was opened on."""
    return commentary.updated_at.isoformat() if commentary.updated_at else ""


class CommentaryAdminForm(PictureUploadMixin, forms.ModelForm):
    picture_field = "lead_image"
    lead_image_upload, lead_image_alt_text, lead_image_credit = upload_fields("lead image")
    seen_version = forms.CharField(widget=forms.HiddenInput, required=False)
    # The submit row's fields, each read only with its own button.
    schedule_at = forms.DateTimeField(
        label="Publish at",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Tokyo time",
    )
    return_note = forms.CharField(
        label="What should the author change?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label="Why is it withdrawn? Readers see this.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    warnings_read = forms.CharField(widget=forms.HiddenInput, required=False)
    major_correction = forms.BooleanField(
        required=False,
        help_text="Readers see the note below with today's date, and feed readers show the "
        "piece as updated. Leave unticked for typo fixes.",
    )
    correction_note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Shown to readers."
    )

    user = None  # set per request by CommentaryAdmin.get_form
    formsets = ()  # the inlines, set by CommentaryAdmin before the form is validated

    class Meta:
        model = Commentary
        fields = [
            "series",
            "number",
            "title",
            "slug",
            "published_at",
            "planned_at",
            "doi",
            "body",
            "summary",
            "tags",
            "language",
            "translator",
            "lead_image",
            "lead_image_caption",
        ]
        widgets = {"language": forms.Select(choices=settings.LANGUAGES)}
        field_classes = {"tags": TopicsField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["seen_version"] = version_stamp(self.instance)
        if self.instance.pk is None:
            # A new piece starts as the person chooses: each choice is the first save's step.
            allowed = [
                (status, label)
                for status, label in Commentary.Status.choices
                if status in START_AS
                and services.allowed(self.user, self.instance, START_AS[status])
            ]
            self.fields["status"] = forms.ChoiceField(
                label="When saved", choices=allowed, initial=Commentary.Status.DRAFT
            )
        self.findings = None
        self.step = None

    def clean_body(self):
        """Every picture in the text has alt text. (Pictures from other addresses than the
        site's own were dropped by the sanitiser: commentaries.html.)"""
        body = self.cleaned_data.get("body", "")
        if missing := figures.missing_alt_text(body):
            raise ValidationError(
                f"{missing} picture{'s' if missing > 1 else ''} in the text "
                f"{'have' if missing > 1 else 'has'} no alt text: open each (double-click) "
                "and say what it shows, for readers who cannot see it.",
                code="alt_text",
            )
        return body

    @property
    def action(self):
        """The step the pressed button asks for (on a new piece, what it starts as)."""
        if self.instance.pk is None:
            action = START_AS.get(self.cleaned_data.get("status"), Action.SAVE)
            if action == Action.PUBLISH and self.typed_time_to_come():
                return Action.SCHEDULE  # published at a time to come: scheduled
            return action
        return self.data.get("_action") or Action.SAVE

    def typed_time_to_come(self):
        when = self.cleaned_data.get("published_at")
        return "published_at" in self.changed_data and when and when > timezone.now()

    @property
    def step_params(self):
        """What the step needs besides the piece: a time, a note or a reason."""
        match self.action:
            case Action.SCHEDULE if self.instance.pk is None:
                return {"at": self.cleaned_data["published_at"]}
            case Action.SCHEDULE:
                return {"at": self.cleaned_data["schedule_at"]}
            case Action.RETURN:
                return {"note": self.cleaned_data["return_note"]}
            case Action.WITHDRAW:
                return {"reason": self.cleaned_data["reason"]}
        return {}

    def require_step_fields(self, action, cleaned):
        if action == Action.SCHEDULE and self.instance.pk is not None:
            when = cleaned.get("schedule_at")
            if when is None or when <= timezone.now():
                self.add_error("schedule_at", "Choose a date and time to come.")
        if action == Action.RETURN and not cleaned.get("return_note", "").strip():
            self.add_error("return_note", "Say what the author should change; they read it.")
        if action == Action.WITHDRAW and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Say why the piece is withdrawn; readers see it.")

    def clean(self):
        cleaned = super().clean()
        self.refuse_taken_number(
            cleaned.get("series"), cleaned.get("number"), cleaned.get("language")
        )
        self.refuse_stale_save(cleaned.get("seen_version", ""))
        if "published_at" in self.changed_data:
            self.instance.published_at_set_by_hand = True  # a time typed in is meant
        if cleaned.get("major_correction") and not cleaned.get("correction_note", "").strip():
            self.add_error("correction_note", "A major correction needs a note for readers.")
        action = self.action
        if not services.allowed(self.user, self.instance, action):
            raise ValidationError(
                "You cannot do that to this piece now; the buttons show what you can.",
                code="not_allowed",
            )
        self.require_step_fields(action, cleaned)
        if action in (Action.PUBLISH, Action.SCHEDULE) and not self.errors:
            self.check_before_publishing(cleaned)
        return cleaned

    def check_before_publishing(self, cleaned):
        """Errors stop the step; warnings stop it until the editor presses again."""
        if not all(formset.is_valid() for formset in self.formsets):
            return  # the inlines say what is wrong first
        key_points, bylines = [], []
        for formset in self.formsets:
            rows = formset.rows()
            if formset.model is KeyPoint:
                key_points = [row.text for row in rows if row.text.strip()]
            if formset.model is Authorship:
                bylines = [(row.author.byline_name, row.bio) for row in rows]
        self.findings = checks.check(
            title=cleaned.get("title", ""),
            summary=cleaned.get("summary", ""),
            body=cleaned.get("body", ""),
            key_points=key_points,
            bylines=bylines,
        )
        if self.findings.errors:
            raise ValidationError("Not published: " + " ".join(self.findings.errors))
        # On a piece's form the buttons stop once for warnings; a new piece started as
        # published is told of them after its save (the admin's message).
        stop = self.instance.pk is not None and self.findings.warnings
        if stop and cleaned.get("warnings_read") != self.findings.digest:
            self.data = self.data.copy()
            self.data["warnings_read"] = self.findings.digest
            raise ValidationError(
                "Read the warnings beside the buttons, then press again to go ahead.",
                code="warnings",
            )

    def _get_validation_exclusions(self):
        # A stored piece's fields left as they were are not checked again (a query each for
        # its series, say): only what the form changes.
        excluded = super()._get_validation_exclusions()
        if self.instance.pk is not None:
            excluded |= {name for name in self.fields if name not in self.changed_data}
        return excluded

    def validate_unique(self):
        """Only what this form can break: a DOI given or changed. The number is checked under
        the series' lock (refuse_taken_number); the rest is not unique."""
        if self.cleaned_data.get("doi") and "doi" in self.changed_data:
            names = {field.name for field in Commentary._meta.fields} - {"doi"}
            try:
                self.instance.validate_unique(exclude=names)
            except ValidationError as error:
                self._update_errors(error)

    def validate_constraints(self):
        """The constraints are checked in the fields' own cleaning (clean_number) and under
        the series' lock (refuse_taken_number), not once more by a query each."""

    def _save_m2m(self):
        # Topics left as they were are not set again (five queries for three topics).
        if "tags" not in self.changed_data:
            self.cleaned_data = {k: v for k, v in self.cleaned_data.items() if k != "tags"}
        super()._save_m2m()

    def clean_number(self):
        number = self.cleaned_data["number"]
        if number is not None and number < 1:
            raise forms.ValidationError("The number must be 1 or more.")
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

    def refuse_taken_number(self, series, number, language):
        """A number someone else took in this language since the form was opened is named,
        with the next free one. The series row is locked first, so two adds proposing the same
        number queue up and the second sees the first's piece."""
        if series is None or number is None:
            return
        if self.instance.pk and (series.pk, number, language) == (
            self.instance.series_id,
            self.instance.number,
            self.instance.language,
        ):
            return
        Series.objects.select_for_update().get(pk=series.pk)
        taken = Commentary.objects.filter(series=series, number=number, language=language)
        taken = taken.exclude(pk=self.instance.pk)
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
