from django.conf import settings
from django.db.models import OuterRef, Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.views.generic import ListView

from authors.models import Author
from commentaries.models import Authorship, Commentary, with_public_pieces
from commentaries.pagination import KeysetListMixin, numbered_page

# What the directory prints of each author: the byline's name, the address, the position and
# affiliation (the formal name, honorific included, is the author's own page's),
LISTED_FIELDS = ["given_name", "family_name", "slug", "position", "affiliation"]
# and the photo, when there is one: what its markup needs (media.markup)
PHOTO_FIELDS = ["photo__token", "photo__width", "photo__height", "photo__alt_text"]


class AuthorListView(ListView):
    """Authors with something public, by name, 100 a page.

    Nothing is counted, neither the authors nor their pieces: both grow with the archive (an
    author's count touches every authorship of theirs), and numbered pages need neither.
    """

    template_name = "authors/author_list.html"
    context_object_name = "authors"
    paginate_by = 100

    def get_queryset(self):
        authorships = Authorship.objects.filter(author=OuterRef("pk"))
        listed = Author.objects.select_related("photo").only(*LISTED_FIELDS, *PHOTO_FIELDS)
        authors = with_public_pieces(listed, authorships)
        if get_language() != settings.LANGUAGE_CODE:  # names in the main language are the rows'
            authors = authors.prefetch_related(Prefetch("names", to_attr="listed_names"))
        return authors.order_by("family_name", "given_name", "pk")

    def paginate_queryset(self, queryset, page_size):
        page = numbered_page(queryset, self.request.GET, page_size)
        return None, page, page.items, page.has_next or page.has_previous


class AuthorDetailView(KeysetListMixin, ListView):
    """An author's published pieces, paged like every list of commentaries."""

    allow_empty = False  # an author with nothing published yet stays private
    paginate_by = 20
    template_name = "authors/author_detail.html"
    context_object_name = "commentaries"

    def get_queryset(self):
        self.author = get_object_or_404(
            Author.objects.select_related("photo"), slug=self.kwargs["slug"]
        )
        pieces = Commentary.objects.published().in_language(get_language())
        pieces = pieces.with_card_data(key_points=True)
        return pieces.filter(authors=self.author)

    def get_context_data(self, **kwargs):
        name = self.author.formal_name_in(get_language())
        return super().get_context_data(
            author=self.author, author_name=name, heading=name, **kwargs
        )
