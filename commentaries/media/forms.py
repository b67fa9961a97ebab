"""Uploading pictures in the admin: the image list's own form, and the upload fields the
commentary, author and series forms carry beside their picture (lead image, photo, logo).

An upload is checked (checks.py) as the form is cleaned, and kept at once when it passes, so a
form refused for some other reason shows it chosen rather than asking for it again."""

from django import forms
from django.core.exceptions import ValidationError

from commentaries.media.checks import ACCEPT, checked_image
from commentaries.media.models import Image
from commentaries.media.renditions import image_create


class ImageUploadField(forms.FileField):
    """A picture file, refused with a form error unless checks.checked_image() takes it."""

    widget = forms.ClearableFileInput(attrs={"accept": ACCEPT})

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            checked_image(upload)
        return upload


class ImageForm(forms.ModelForm):
    """The image list's add form: the file, and the text that stands for it."""

    upload = ImageUploadField(label="Picture", help_text="JPEG, PNG, WebP or GIF.")

    user = None  # set per request by ImageAdmin.get_form

    class Meta:
        model = Image
        fields = ["alt_text", "credit"]

    def save(self, commit=True):
        return image_create(
            upload=self.cleaned_data["upload"],
            alt_text=self.cleaned_data["alt_text"],
            credit=self.cleaned_data["credit"],
            by=self.user,
        )

    def save_m2m(self):
        pass


class ImageChangeForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["alt_text", "credit"]


def upload_fields(what):
    """The three fields to upload a new picture for a form's foreign key to Image, declared
    on the form as <key>_upload, <key>_alt_text, <key>_credit (PictureUploadMixin)."""
    return (
        ImageUploadField(
            label=f"Upload a new {what}",
            required=False,
            help_text="JPEG, PNG, WebP or GIF; it replaces the one chosen above.",
        ),
        forms.CharField(
            label="Its alt text",
            required=False,
            max_length=300,
            help_text="What the new picture shows, for readers who cannot see it. Required "
            "with an upload.",
        ),
        forms.CharField(
            label="Its credit", required=False, max_length=200, help_text='e.g. "Photo: Kyodo"'
        ),
    )


class PictureUploadMixin:
    """For a ModelForm with a foreign key to Image named in `picture_field` and the fields of
    upload_fields() declared beside it: a new picture uploaded is kept and chosen. The view
    sets `user`; one without the permission to add pictures uploads nothing."""

    picture_field = None
    user = None

    def clean(self):
        cleaned = super().clean()
        name = self.picture_field
        upload = cleaned.get(f"{name}_upload")
        if not upload or self.has_error(f"{name}_upload"):
            return cleaned
        if not (self.user and self.user.has_perm("media.add_image")):
            self.add_error(f"{name}_upload", "You may not upload pictures.")
            return cleaned
        alt_text = cleaned.get(f"{name}_alt_text", "").strip()
        if not alt_text:
            self.add_error(f"{name}_alt_text", "Say what the picture shows (its alt text).")
            return cleaned
        try:
            image = image_create(
                upload=upload,
                alt_text=alt_text,
                credit=cleaned.get(f"{name}_credit", "").strip(),
                by=self.user,
            )
        except ValidationError as error:
            self.add_error(f"{name}_upload", error)
            return cleaned
        cleaned[name] = image
        # Chosen from now on, also when the form is shown again for another field's error.
        self.data = self.data.copy()
        self.data[name] = str(image.pk)
        self.data.pop(f"{name}_alt_text", None)
        self.data.pop(f"{name}_credit", None)
        self.__dict__.pop("changed_data", None)
        return cleaned
