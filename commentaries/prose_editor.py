"""django-prose-editor under the site's Content-Security-Policy.

The widget's import map and scripts reach the page through js_asset's Media, which Django's
admin renders with {% csp_nonce_attr media %}: they carry the request's nonce. One thing does
not: Tiptap injects its base styles as an inline <style> with no nonce, which the CSP blocks.
It reuses a <style data-tiptap-style> already in the page, so the widget's media brings one,
rendered with the nonce like the rest.
"""

from pathlib import Path

from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import InlineStyle, Media

TIPTAP_BASE_STYLE = InlineStyle(
    (Path(__file__).parent / "static" / "commentaries" / "tiptap-base.css").read_text(),
    **{"data-tiptap-style": ""},
)


class ProseEditorWidget(AdminProseEditorWidget):
    """The admin's rich-text editor, every inline part of it allowed by the CSP's nonce."""

    @property
    def media(self):
        return super().media + Media(css={"all": [TIPTAP_BASE_STYLE]})
