from django.contrib import admin

from authors.models import Author
from commentaries.models import Authorship, Commentary
from commentaries.rich_text import RichTextAdminMixin


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

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.has_change_permission(request):
            return queryset
        # Those who may only look (contributors) meet, in lists and the byline autocomplete,
        # the authors of pieces anyone may read and of the pieces they started.
        shown = Authorship.objects.filter(
            commentary__in=Commentary.objects.published()
        ) | Authorship.objects.filter(commentary__created_by=request.user.pk)
        return queryset.filter(pk__in=shown.values("author"))
