"""The pictures in the admin: a list of uploads with thumbnails, an upload form, and the
picker the body's editor opens ("Browse..." in its figure dialog).

Who sees what: editors every picture; contributors the ones they uploaded (for their drafts).
Editors alone delete; a picture a piece's body shows cannot be deleted (Figure protects it)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html

from commentaries.media.forms import ImageChangeForm, ImageForm
from commentaries.media.markup import picture_html
from commentaries.media.models import Format, Image


def thumbnail(image, width=160):
    if image is None:
        return "—"
    return picture_html(image, sizes=f"{width}px", max_width=320, css_class="admin-thumbnail")


def figure_src(image):
    """The address the editor stores for a figure (the page shows all widths: figures.py)."""
    width = next((w for w in image.widths if w >= 960), image.widths[-1])
    return image.rendition_path(width, Format.JPEG)


def sees_every_picture(user):
    return user.is_superuser or user.has_perm("media.delete_image")


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["preview", "alt_text", "dimensions", "credit", "uploaded_by", "uploaded_at"]
    list_display_links = ["preview", "alt_text"]
    search_fields = ["alt_text", "credit"]
    readonly_fields = ["preview", "dimensions", "uploaded_by", "uploaded_at"]
    list_per_page = 50

    class Media:
        css = {"all": ["media/picker.css"]}  # thumbnails at 160 px

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("uploaded_by")
        if sees_every_picture(request.user):
            return queryset
        return queryset.filter(uploaded_by=request.user.pk)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = ImageChangeForm if obj else ImageForm
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["upload", "alt_text", "credit"]
        return ["preview", "alt_text", "credit", "dimensions", "uploaded_by", "uploaded_at"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        mine = obj is None or obj.uploaded_by_id == request.user.pk
        return allowed and (mine or sees_every_picture(request.user))

    @admin.display(description="picture")
    def preview(self, image):
        return thumbnail(image)

    @admin.display(description="size")
    def dimensions(self, image):
        return format_html("{} x {} px, {} KB", image.width, image.height, image.size // 1024)

    def get_urls(self):
        return [
            path(
                "picker/",
                self.admin_site.admin_view(self.picker_view),
                name="media_image_picker",
            ),
            *super().get_urls(),
        ]

    def picker_view(self, request):
        """The window the editor's "Browse..." opens: pictures to choose (the newest first,
        searchable) and, for those who may, an upload. Choosing one hands its address, alt
        text and token back to the dialog (static/admin-media/picker.js)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        form = None
        if self.has_add_permission(request):
            form_class = self.get_form(request)
            form = form_class(request.POST or None, request.FILES or None)
            if request.method == "POST" and form.is_valid():
                form.save()
                form = form_class()
        queryset = self.get_queryset(request)
        query = request.GET.get("q", "").strip()
        if query:
            queryset = queryset.filter(alt_text__icontains=query)
        images = [
            {"image": image, "preview": thumbnail(image), "src": figure_src(image)}
            for image in queryset[:60]
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Choose a picture",
            "images": images,
            "form": form,
            "query": query,
            "is_popup": True,
        }
        return TemplateResponse(request, "admin/media/image/picker.html", context)
