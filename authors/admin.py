from django import forms
from django.conf import settings
from django.contrib import admin

from authors.models import Author, AuthorName
from commentaries.media import admin as media_admin
from commentaries.media.forms import PictureUploadMixin, upload_fields
from commentaries.media.models import Image
from commentaries.models import Authorship, Commentary
from commentaries.rich_text import RichTextAdminMixin


class AuthorForm(PictureUploadMixin, forms.ModelForm):
    picture_field = "photo"
    photo_upload, photo_alt_text, photo_credit = upload_fields("photo")

    class Meta:
        model = Author
        fields = ["photo"]  # the admin's `fields` name the rest


class AuthorNameInline(admin.TabularInline):
    model = AuthorName
    extra = 1
    verbose_name = "name in another language"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # One of settings.LANGUAGES (the model takes any code; clean() holds it to the setting).
        if db_field.name == "language":
            kwargs["widget"] = forms.Select(choices=settings.LANGUAGES)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Author)
class AuthorAdmin(RichTextAdminMixin, admin.ModelAdmin):
    inlines = [AuthorNameInline]
    form = AuthorForm
    autocomplete_fields = ["photo"]
    readonly_fields = ["photo_preview"]
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
        "photo_preview",
        "photo",
        "photo_upload",
        "photo_alt_text",
        "photo_credit",
    ]

    class Media:
        css = {"all": ["media/picker.css"]}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    @admin.display(description="Current photo")
    def photo_preview(self, author):
        return media_admin.thumbnail(author.photo)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "photo":
            kwargs["queryset"] = self.admin_site.get_model_admin(Image).get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
