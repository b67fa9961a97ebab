from django import forms
from django.contrib import admin

from authors.models import Author
from commentaries.forms import rich_text_field


class AuthorAdminForm(forms.ModelForm):
    bio = rich_text_field(required=False, help_text="The current biography.")

    class Meta:
        model = Author
        fields = [
            "honorific",
            "given_name",
            "family_name",
            "name_order",
            "slug",
            "position",
            "affiliation",
            "bio",
            "website",
        ]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    form = AuthorAdminForm
    list_display = ["byline_name", "formal_name", "position", "affiliation"]
    search_fields = ["given_name", "family_name", "affiliation"]
    prepopulated_fields = {"slug": ["given_name", "family_name"]}
    fields = [
        "honorific",
        ("given_name", "family_name"),
        "name_order",
        "slug",
        "position",
        "affiliation",
        "bio",
        "website",
    ]
