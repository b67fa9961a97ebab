"""Rich text in the admin: django-prose-editor, cleaned by commentaries.html, under the CSP.

The widget's import map and scripts reach the page through js_asset's Media, which Django's
admin renders with {% csp_nonce_attr media %}: they carry the request's nonce. One thing does
not: Tiptap injects its base styles as an inline <style> with no nonce, which the CSP blocks.
It reuses a <style data-tiptap-style> already in the page, so the widget's media brings one,
rendered with the nonce like the rest.

Used by the commentaries and the authors admins; imports commentaries.html alone.
"""

from pathlib import Path

from django.urls import reverse
from django.utils.text import capfirst
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import InlineStyle, Media

from commentaries.html import EDITOR_EXTENSIONS, clean_rich_text

TIPTAP_BASE_STYLE = InlineStyle(
    (Path(__file__).parent / "tiptap-base.css").read_text(),
    **{"data-tiptap-style": ""},
)


class ProseEditorWidget(AdminProseEditorWidget):
    """The admin's rich-text editor, every inline part of it allowed by the CSP's nonce."""

    @property
    def media(self):
        return super().media + Media(css={"all": [TIPTAP_BASE_STYLE]})


def rich_text_field(*, figures=False, **kwargs):
    """A form field with the admin's rich-text editor, cleaned against the allow-list; with
    `figures`, pictures too (the Figure extension), chosen in the admin's picture picker."""
    extensions = EDITOR_EXTENSIONS
    if figures:
        picker = reverse("admin:media_image_picker")
        extensions = {
            **extensions,
            "Figure": {"pickerUrl": picker},
            "Image": True,
            "Caption": True,
        }
    return ProseEditorFormField(
        extensions=extensions,
        sanitize=clean_rich_text,
        widget=ProseEditorWidget,
        **kwargs,
    )


class RichTextAdminMixin:
    """For ModelAdmin and inlines: the fields named in `rich_text_fields` get the editor."""

    rich_text_fields = ()
    figure_fields = ()  # of those, the ones that take pictures

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.rich_text_fields:
            return rich_text_field(
                figures=db_field.name in self.figure_fields,
                required=not db_field.blank,
                label=capfirst(db_field.verbose_name),
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)
