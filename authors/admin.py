from django.contrib import admin

from authors.models import Author
from config.rich_text import RichTextAdminMixin


@admin.register(Author)
class AuthorAdmin(RichTextAdminMixin, admin.ModelAdmin):
    list_display = ["byline_name", "formal_name", "position", "affiliation"]
    search_fields = ["given_name", "family_name", "affiliation"]
    prepopulated_fields = {"slug": ["given_name", "family_name"]}
    rich_text_fields = ["bio"]
    fields = [
        "honorific",
        ("given_name", "family_name"),
        "name_order",
        "slug",
        "position",
        "affiliation",
        "bio",
        "website",
        "orcid",
    ]
