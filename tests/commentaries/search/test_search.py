import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html
from taggit.models import Tag

from commentaries.models import Commentary, SearchDocument
from commentaries.reading.views import SearchView
from commentaries.search import index
from commentaries.search.query import search
from tests.factories import AuthorFactory, CommentaryFactory, full_commentary

pytestmark = pytest.mark.django_db
SEED_TITLE = "Political leaders in Japan and the ROK should highlight the importance"


def results(client, **params):
    """The titles listed on the search page, in order."""
    response = client.get("/search/", params)
    assert response.status_code == 200
    return [
        " ".join(t.split())
        for t in html.fromstring(response.content).xpath(
            "//main//h2[@class='card-title']/a/text()"
        )
    ]


def message(client, **params):
    page = html.fromstring(client.get("/search/", params).content)
    return " ".join(page.xpath("string(//*[@id='search-message'])").split())


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Writes made in `with committed():` are indexed, as they are after a real commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_seed_is_indexed_by_migrate(seed):
    document = SearchDocument.objects.get(commentary=seed)
    assert "comfort women" in document.text
    assert "Junya Nishino" in document.names
    assert "Japan-ROK relations" in document.names


@pytest.mark.postgres
def test_vectors_are_kept_in_their_rows(seed):
    """A search tests and ranks each candidate's vector: kept in the row (MAIN storage), it is
    read with the row, not through the TOAST table's index and chunks."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'commentaries_searchdocument'::regclass AND attname = 'vector'"
        )
        assert cursor.fetchone() == ("m",)


@pytest.mark.parametrize(
    "query",
    ["comfort women", '"comfort women"', "Nishino", "bilateral cooperation", "equilibrium"],
)
def test_finds_seed_by_title_key_points_body_and_author(client, seed, query):
    assert results(client, q=query) == [seed.title]


def test_web_search_syntax(client, seed, committed):
    with committed():
        other = CommentaryFactory(title="Maritime security", body="<p>Navies.</p>")
    assert results(client, q="Japan -comfort") == []
    assert results(client, q="Japan -maritime") == [seed.title]
    assert results(client, q='"women comfort"') == []
    if connection.vendor == "postgresql":  # the fallback ignores "or" and wants every word
        assert set(results(client, q="navies or equilibrium")) == {seed.title, other.title}


def test_only_published_pieces_are_searchable(client, committed):
    with committed():
        for status in ("draft", "review", "withdrawn"):
            CommentaryFactory(status=status, title=f"Zanzibar {status}", body="<p>Zanzibar</p>")
        CommentaryFactory(
            title="Zanzibar",
            body="<p>Zanzibar</p>",
            published_at=timezone.now() + dt.timedelta(days=1),
        )
    assert SearchDocument.objects.filter(text__contains="Zanzibar").count() == 4
    assert results(client, q="Zanzibar") == []


def test_filters_by_year_topic_and_author(client, seed, committed):
    with committed():
        later = CommentaryFactory(
            title="Japan and the Quad",
            published_at=dt.datetime(2020, 3, 1, tzinfo=dt.UTC),
            authors=[AuthorFactory(given_name="Akiko", family_name="Fukushima")],
            topics=["Indo-Pacific"],
        )
    assert set(results(client, q="Japan")) == {seed.title, later.title}
    assert results(client, q="Japan", year=2015) == [seed.title]
    assert results(client, q="Japan", topic="indo-pacific") == [later.title]
    assert results(client, q="Japan", author="junya-nishino") == [seed.title]
    # filters alone list the matching pieces, newest first
    assert results(client, year=2020) == [later.title]


def test_a_topic_that_is_gone_matches_nothing(seed, committed):
    """Not the pieces without topics (a filter on no tag at all)."""
    with committed():
        CommentaryFactory(title="Japan untagged", topics=[])
    published = Commentary.objects.published()
    assert search(published, "Japan", topic="no-such-topic") == []
    assert search(published, "", topic="no-such-topic") == []
    assert search(published, "Japan", topic="japan-rok-relations") == [seed.pk]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, "Type a word or a phrase"),
        ({"q": "   "}, "Type a word or a phrase"),
        ({"q": "x" * 5000}, "at most 200 characters"),
        ({"q": "Japan\x00"}, "cannot be searched for"),
        ({"q": "\"'(&|!:*\\"}, "not punctuation alone"),
        ({"q": "Japan", "year": "abc"}, "Select a valid choice"),
        ({"q": "Japan", "topic": "<script>"}, "Select a valid choice"),
        ({"q": "zzzqqqxxx"}, "No commentaries match"),
    ],
)
def test_bad_or_empty_queries_give_a_page_with_a_message(client, seed, params, expected):
    assert expected in message(client, **params)
    assert results(client, **params) == []


@pytest.mark.parametrize("page_number", ["abc", "-1", "99999"])
def test_bad_result_pages_are_404(client, seed, page_number):
    assert client.get("/search/", {"q": "Japan", "page": page_number}).status_code == 404


def test_pagination_keeps_the_query(client, committed):
    with committed():
        for number in range(SearchView.paginate_by + 1):
            CommentaryFactory(title=f"Okinawa piece {number}")
    response = client.get("/search/", {"q": "Okinawa", "year": timezone.now().year})
    page = html.fromstring(response.content)
    (more,) = page.xpath("//nav[@class='pagination']//a[@rel='next']/@href")
    assert "q=Okinawa" in more and "page=2" in more and "year=" in more
    assert len(results(client, q="Okinawa", page=2)) == 1


def test_snippet_highlights_and_escapes(client, committed):
    with committed():
        CommentaryFactory(
            title="Escaping",
            body="<p>An editor wrote &lt;script&gt;alert(1)&lt;/script&gt; by the word kelp.</p>",
        )
    page = client.get("/search/", {"q": "kelp"}).content.decode()
    assert "<mark>kelp</mark>" in page
    assert "alert(1)" in page  # PostgreSQL's headline drops tag-like text, the fallback escapes it
    assert "<script>alert" not in page


def test_index_follows_edits(client, committed):
    """Body, key points, authors and topics changed after publication are searchable at once."""
    with committed():
        commentary = full_commentary(authors=1, key_points=1, topics=1)
        commentary.body = "<p>Semiconductors and supply chains.</p>"
        commentary.save()
    assert results(client, q="semiconductors") == [commentary.title]
    with committed():
        commentary.key_points.create(position=9, text="Rare earths matter.")
    assert results(client, q="rare earths") == [commentary.title]
    with committed():
        author = commentary.ordered_authors[0]
        author.family_name = "Takahashi"
        author.save()
    assert results(client, q="Takahashi") == [commentary.title]
    with committed():
        commentary.tags.add("Export controls")
    assert results(client, q="export controls") == [commentary.title]
    with committed():
        commentary.tags.remove("Export controls")
        commentary.tags.add("Sanctions")
        commentary.key_points.filter(position=9).delete()
    assert results(client, q="export controls") == []
    assert results(client, q="rare earths") == []
    assert results(client, q="sanctions") == [commentary.title]


def test_index_follows_topics_merged_or_deleted_in_taggits_admin(client, admin_client, committed):
    with committed():
        piece = full_commentary(topics=0)
        piece.tags.add("Sea lanes", "Fisheries")
    sea_lanes, fisheries = (Tag.objects.get(name=name).pk for name in ("Sea lanes", "Fisheries"))
    changelist = "/admin/taggit/tag/"
    chosen = {"action": "render_tag_form", "_selected_action": [sea_lanes]}
    admin_client.post(changelist, chosen)  # the merge page remembers the topics chosen
    with committed():
        merged = admin_client.post(f"{changelist}merge-tags/", {"new_tag_name": "Maritime order"})
    assert merged.status_code == 302
    assert results(client, q="maritime order") == [piece.title]
    assert results(client, q="sea lanes") == []
    with committed():
        admin_client.post(f"{changelist}{fisheries}/delete/", {"post": "yes"})
    assert not Tag.objects.filter(pk=fisheries).exists()
    assert results(client, q="fisheries") == []


def test_one_reindex_per_commentary_per_transaction(
    seed, monkeypatch, django_capture_on_commit_callbacks
):
    """However many rows of a piece change in one transaction, it is rebuilt once."""
    rebuilt = []
    monkeypatch.setattr(index, "index_commentaries", lambda ids: rebuilt.append(set(ids)))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        seed.title = "A new title"
        seed.save()
        seed.key_points.create(position=9, text="One more point.")
        seed.tags.add("new topic")
    assert len(callbacks) > 1
    assert rebuilt == [{seed.pk}]


def test_search_query_count_does_not_grow(client, committed, django_assert_max_num_queries):
    """Guards against N+1: a full page of rich results costs what one plain result does."""
    with committed():
        full_commentary(authors=1, key_points=1, topics=1, title="Taiwan strait 0")
    with CaptureQueriesContext(connection) as baseline:
        assert len(results(client, q="Taiwan")) == 1
    with committed():
        for number in range(1, 30):
            full_commentary(authors=5, key_points=10, topics=8, title=f"Taiwan strait {number}")
    with django_assert_max_num_queries(len(baseline)):
        assert len(results(client, q="Taiwan")) == SearchView.paginate_by


@pytest.mark.postgres
def test_title_match_ranks_above_body_match(client, committed):
    """The newer piece has the word in its body, the older one in its title."""
    with committed():
        body_only = CommentaryFactory(
            title="Regional order", body="<p>Fisheries are one topic among many.</p>"
        )
        in_title = CommentaryFactory(
            title="Fisheries diplomacy",
            body="<p>On the sea.</p>",
            published_at=timezone.now() - dt.timedelta(days=30),
        )
    assert results(client, q="fisheries") == [in_title.title, body_only.title]


@pytest.mark.postgres
def test_stemming_and_stored_vector(client, seed):
    """English stemming: "cooperating" finds "cooperation"; the vector is stored, GIN-indexed."""
    assert results(client, q="cooperating") == [seed.title]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_document_vector'"
        )
        assert "gin" in cursor.fetchone()[0].lower()
    assert SearchDocument.objects.get(commentary=seed).vector
