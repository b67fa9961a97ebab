from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from authors.models import Author
from commentaries.models import Commentary


class AuthorListView(ListView):
    template_name = "authors/author_list.html"
    context_object_name = "authors"

    def get_queryset(self):
        published = Commentary.objects.published()
        return (
            Author.objects.annotate(
                published_count=Count("commentaries", filter=Q(commentaries__in=published))
            )
            .filter(published_count__gt=0)
            .order_by(*Author._meta.ordering)
        )  # GROUP BY drops it


class AuthorDetailView(ListView):
    """An author's published pieces, paginated like every list of commentaries."""

    allow_empty = False  # an author with nothing published yet stays private
    paginate_by = 20
    template_name = "authors/author_detail.html"
    context_object_name = "commentaries"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return Commentary.objects.published().with_listing_data().filter(authors=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            author=self.author, heading=self.author.formal_name, **kwargs
        )
