from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from authors.models import Author
from commentaries.models import Commentary
from commentaries.views import CommentaryListView


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


class AuthorDetailView(CommentaryListView):
    allow_empty = False  # an author with nothing published yet stays private
    template_name = "authors/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        self.heading = self.author.formal_name
        return super().get_queryset().filter(authors=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)
