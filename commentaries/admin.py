from django.contrib import admin
from django.db.models import Prefetch

from commentaries.models import Authorship, Commentary, KeyPoint, Series


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "publisher", "is_primary"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "publisher"]


class KeyPointInline(admin.TabularInline):
    model = KeyPoint
    extra = 0
    fields = ["position", "text"]
    ordering = ["position"]


class AuthorshipInline(admin.StackedInline):
    model = Authorship
    extra = 0
    fields = ["position", "author", "position_title", "affiliation", "bio"]
    autocomplete_fields = ["author"]
    ordering = ["position"]


@admin.register(Commentary)
class CommentaryAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "author_names", "series", "status", "published_at"]
    list_display_links = ["number", "title"]
    list_filter = ["status", "series", "tags"]
    search_fields = [
        "=number",
        "title",
        "authorships__author__family_name",
        "authorships__author__given_name",
    ]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [KeyPointInline, AuthorshipInline]
    fields = [
        ("series", "number"),
        "title",
        "slug",
        ("status", "published_at"),
        "body",
        "summary",
        "language",
        "tags",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("series")
            .prefetch_related(
                Prefetch("authorships", queryset=Authorship.objects.select_related("author"))
            )
        )

    @admin.display(description="authors")
    def author_names(self, commentary):
        return commentary.byline

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
