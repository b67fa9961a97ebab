"""Authorships filled from the author's profile: position, affiliation and bio as published.

On the page, static/editorial/bylines.js fills the empty fields as soon as an author is chosen,
and they can be edited before saving. On the server, AuthorshipForm is the safety net: a row
whose author was just chosen (a new row, or another author picked) and whose fields are blank
gets them from the profile when saved. Rows whose author stays the same are left as they are,
so a field cleared on purpose stays clear.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse

from authors.models import Author

# Authorship field: the author's profile field it is filled from.
FROM_PROFILE = {"position_title": "position", "affiliation": "affiliation", "bio": "bio"}


def pickable_authors(request):
    """The authors this user may put on a piece: those the author autocomplete offers them."""
    return admin.site.get_model_admin(Author).get_queryset(request)


def profile(author):
    return {field: getattr(author, source) for field, source in FROM_PROFILE.items()}


def is_blank(field, value):
    if field == "bio":  # an emptied rich-text editor leaves an empty paragraph
        value = (value or "").replace("<p>", "").replace("</p>", "").replace("<br>", "")
    return not (value or "").strip()


class AuthorshipForm(forms.ModelForm):
    class Media:
        js = ["editorial/bylines.js"]
        css = {"all": ["editorial/bylines.css"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        author = self.fields.get("author")
        if author is not None:
            widget = getattr(author.widget, "widget", author.widget)  # inside the +/edit links
            widget.attrs["data-profile-url"] = reverse("editorial:author_profile")

    def clean(self):
        cleaned = super().clean()
        author = cleaned.get("author")
        if author is not None and "author" in self.changed_data:
            for field, value in profile(author).items():
                if field in self.fields and is_blank(field, cleaned.get(field)):
                    cleaned[field] = value
        return cleaned
