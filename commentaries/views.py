from django.shortcuts import get_object_or_404, redirect, render
from django.views.generic import ListView
from taggit.models import Tag

from commentaries.models import Commentary, Series

HOME_LENGTH = 10


class CommentaryListView(ListView):
    """A paginated list of published commentaries; subclasses narrow the queryset."""

    paginate_by = 20
    template_name = "commentaries/commentary_list.html"
    context_object_name = "commentaries"
    heading = "All commentaries"

    def get_queryset(self):
        return Commentary.objects.published().with_listing_data()

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, **kwargs)


class SeriesDetailView(CommentaryListView):
    allow_empty = False
    template_name = "commentaries/series_detail.html"

    def get_queryset(self):
        self.series = get_object_or_404(Series, slug=self.kwargs["slug"])
        self.heading = self.series.name
        return super().get_queryset().filter(series=self.series)

    def get_context_data(self, **kwargs):
        return super().get_context_data(series=self.series, **kwargs)


class TagDetailView(CommentaryListView):
    allow_empty = False  # a topic only drafts carry stays private
    template_name = "commentaries/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        self.heading = self.tag.name
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


def home(request):
    commentaries = Commentary.objects.published().with_listing_data()[:HOME_LENGTH]
    return render(request, "commentaries/home.html", {"commentaries": commentaries})


def commentary_detail(request, number, slug=None, series=None):
    """One commentary at its numbered address; any other slug redirects to the canonical one."""
    if series is None:
        series = get_object_or_404(Series, is_primary=True)
    else:
        series = get_object_or_404(Series, slug=series)
    commentary = get_object_or_404(
        Commentary.objects.published().with_listing_data(), series=series, number=number
    )
    if slug != commentary.slug:
        return redirect(commentary, permanent=True)
    context = {
        "commentary": commentary,
        "canonical_url": request.build_absolute_uri(commentary.get_absolute_url()),
    }
    return render(request, "commentaries/commentary_detail.html", context)
