from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.generic import ListView
from taggit.models import Tag

from commentaries import services
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
    """One commentary at its numbered address; any other slug redirects to the canonical one.

    Staff who may edit an unpublished piece see it here as a preview; everyone else gets a 404.
    A withdrawn piece that had been public answers 410 Gone with the editor's notice.
    """
    if series is None:
        series = get_object_or_404(Series, is_primary=True)
    else:
        series = get_object_or_404(Series, slug=series)
    commentary = get_object_or_404(
        Commentary.objects.with_listing_data(), series=series, number=number
    )
    if commentary.status == Commentary.Status.WITHDRAWN and commentary.number_is_fixed:
        return render(
            request, "commentaries/withdrawn.html", {"commentary": commentary}, status=410
        )
    public = commentary.is_published()
    if not public and not services.can_preview(request.user, commentary):
        raise Http404("No commentary has this number.")
    if slug != commentary.slug:
        return redirect(commentary, permanent=public)
    return render_commentary(request, commentary, preview=not public)


def commentary_preview(request, token):
    """A signed preview link for an outside reviewer: no login, expires."""
    try:
        commentary = services.commentary_from_preview_token(
            token, max_age=settings.PREVIEW_LINK_MAX_AGE
        )
    except (signing.BadSignature, Commentary.DoesNotExist):
        raise Http404("This preview link is not valid or has expired.") from None
    if commentary.is_published():
        return redirect(commentary)
    if commentary.status == Commentary.Status.WITHDRAWN:
        raise Http404("This commentary has been withdrawn.")
    return render_commentary(request, commentary, preview=True)


def render_commentary(request, commentary, *, preview):
    context = {
        "commentary": commentary,
        "canonical_url": request.build_absolute_uri(commentary.get_absolute_url()),
        "preview": preview,
    }
    response = render(request, "commentaries/commentary_detail.html", context)
    if preview:
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response
