import datetime as dt
import html
import re
from pathlib import Path
from urllib.parse import quote

import lxml.html
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls.resolvers import URLResolver
from django.utils import timezone

from authors.views import AuthorListView
from commentaries import importer
from commentaries.models import Commentary
from commentaries.pagination import cursor
from tests.factories import AuthorFactory, CommentaryFactory, full_commentary
from tests.queries import query_counts

pytestmark = pytest.mark.django_db
SEED = importer.parse(
    (Path(importer.__file__).parent / "seed" / "ajiss-commentary-210.txt").read_text()
)


def visible_text(response):
    """The text of the page's <main>, tags dropped, entities decoded, whitespace folded."""
    page = response.content.decode()
    text = re.sub(r"<[^>]+>", " ", page[page.find("<main") :])
    return re.sub(r"\s+", " ", html.unescape(text))


def test_numbered_address_redirects_to_canonical(client, seed):
    response = client.get("/commentaries/210/")
    assert response.status_code == 301
    assert response["Location"] == seed.get_absolute_url()
    assert seed.get_absolute_url() == f"/commentaries/210/{seed.slug}/"


def test_numbered_address_follows_slug_and_title_changes(client, seed):
    old = seed.get_absolute_url()
    seed.title, seed.slug = "A new title", "a-new-title"
    seed.save()
    for address in ("/commentaries/210/", old):
        response = client.get(address)
        assert response.status_code == 301
        assert response["Location"] == "/commentaries/210/a-new-title/"


def test_seed_page_whole_in_order(client, seed):
    """Every part of No.210, in the seed's order, but the author first (as think tanks do)."""
    response = client.get(seed.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    text = visible_text(response)
    parts = [
        "AJISS-Commentary",
        "No.210",
        SEED.title,
        "Junya Nishino",
        "Associate Professor, Department of Political Science",
        "15 May 2015",
        "Key points",
        *SEED.key_points,
        *SEED.body,
        SEED.authors[0].bio,
        "The views expressed in this piece are the author's own and should not be attributed to "
        "The Association of Japanese Institutes of Strategic Studies.",
        "Topics",
    ]
    positions = [text.find(part) for part in parts]
    assert -1 not in positions, [p for p, i in zip(parts, positions, strict=True) if i == -1]
    assert positions == sorted(positions)
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", page, re.S) == [SEED.title]
    assert '<time datetime="2015-05-15T00:00:00+09:00">' in page
    assert f'href="{seed.authors.get().get_absolute_url()}">Junya Nishino</a>' in page
    assert page.count(">Junya Nishino</a>") == 2  # the byline and the bio's heading
    assert page.count("<li>", page.find('class="key-points"')) >= 3
    assert '<a href="/topics/japan-rok-relations/">Japan-ROK relations</a>' in page
    assert '<html lang="en">' in page


def test_share_links_carry_canonical_address_and_title(client, seed):
    page = client.get(seed.get_absolute_url()).content.decode()
    canonical = quote(f"http://testserver{seed.get_absolute_url()}", safe="")
    title = quote(seed.title, safe="")
    assert f"https://x.com/intent/post?url={canonical}&amp;text={title}" in page
    assert f"https://www.facebook.com/sharer/sharer.php?u={canonical}" in page
    # reading needs no JavaScript: JSON-LD is data, which never runs, and the one script (the
    # share menu's "Copy link") is a file that only adds a button
    assert re.findall(r"<script[^>]*>", page) == [
        '<script type="application/ld+json">',
        '<script src="/static/js/share.js" defer>',
    ]


def test_home_lists_latest_with_key_points(client, seed):
    response = client.get("/")
    text = visible_text(response)
    assert SEED.title in text
    assert SEED.key_points[0] in text
    assert 'type="application/rss+xml"' in response.content.decode()


def test_author_page(client, seed):
    author = seed.authors.get()
    author.position, author.affiliation = "Professor", "Keio University"
    author.bio = "<p>Dr. NISHINO Junya is a Professor at Keio University.</p>"
    author.save()
    text = visible_text(client.get("/authors/junya-nishino/"))
    assert "Dr. NISHINO Junya" in text
    assert "Professor, Keio University" in text
    assert "is a Professor at Keio University" in text
    assert SEED.title in text
    # the commentary keeps the bio it was published with
    assert "is an Associate Professor" in visible_text(client.get(seed.get_absolute_url()))


def test_authors_directory_pages_by_number_without_counting(client, seed, monkeypatch):
    monkeypatch.setattr(AuthorListView, "paginate_by", 2)
    for name in ["Aoki", "Baba", "Chiba"]:
        CommentaryFactory(authors=[AuthorFactory(family_name=name)])
    AuthorFactory(family_name="Abe")  # nothing published: not listed
    CommentaryFactory(status="draft", authors=[AuthorFactory(family_name="Akagi")])

    def names(page):
        response = client.get("/authors/", {"page": page})
        tree = lxml.html.fromstring(response.content)
        return tree.xpath(
            "//ul[@class='author-list']//a[@class='author-name']/text()"
        ), tree.xpath("//nav[@class='pagination']//a/@rel")

    first, links = names(1)
    assert links == ["next"] and len(first) == 2
    assert "Aoki" in first[0] and "Baba" in first[1]
    second, links = names(2)
    assert links == ["prev"] and len(second) == 2
    assert "Chiba" in second[0] and second[1] == "Junya Nishino"
    assert client.get("/authors/", {"page": 3}).status_code == 404


def test_topic_page(client, seed):
    response = client.get("/topics/history-issues/")
    assert response.status_code == 200
    assert SEED.title in visible_text(response)


@pytest.mark.parametrize(
    "path",
    [
        "/commentaries/999999/",
        "/commentaries/0/",
        "/commentaries/99999999999999999999/",
        "/authors/no-such-author/",
        "/topics/no-such-topic/",
        "/topics/%F0%9F%92%A5/",
        "/topics/no-such-topic/2015/",
        "/series/no-such-series/",
        "/archive/1999/",
        "/authors/?page=2",
        "/authors/?page=0",
        "/authors/?page=x",
    ],
)
def test_unknown_addresses_are_404(client, seed, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("scope", ["/commentaries/", "/authors/jane-doe/"])
def test_numbered_pages_and_older_links_walk_the_same_list(client, db, scope):
    """?page=N (older links, crawlers) and "Older" (?before=) give the same pages, each
    piece once, from the page cache too."""
    author = AuthorFactory(given_name="Jane", family_name="Doe")
    start = timezone.now() - dt.timedelta(days=100)
    for day in range(45):
        CommentaryFactory(authors=[author], published_at=start + dt.timedelta(days=day))

    def titles(response):
        page = lxml.html.fromstring(response.content)
        return [a.text_content() for a in page.xpath("//*[@class='card-title']/a")]

    listed = Commentary.objects.published()
    listed = listed.filter(authors=author) if "authors" in scope else listed
    total = listed.count()  # the seed is on the full list too
    numbered = [titles(client.get(f"{scope}?page={n}")) for n in (1, 2, 3)]
    assert [len(page) for page in numbered] == [20, 20, total - 40]
    assert client.get(f"{scope}?page=4")["Location"] == scope  # gone since: the first page
    walked, response = [], client.get(scope)
    while True:
        walked.append(titles(response))
        older = lxml.html.fromstring(response.content).xpath("//a[@rel='next']")
        if not older:
            break
        response = client.get(older[0].get("href"))
    assert walked == numbered
    assert len({title for page in walked for title in page}) == total


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Commentary.Status.DRAFT},
        {"status": Commentary.Status.IN_REVIEW},
        {"status": Commentary.Status.WITHDRAWN},
        {"published_at": timezone.now() + dt.timedelta(hours=1)},
    ],
)
def test_unpublished_pieces_are_404_for_readers(client, db, changes):
    """A withdrawn piece that was public answers 410 with a notice; nothing of it is listed."""
    author = AuthorFactory()
    commentary = CommentaryFactory(authors=[author], topics=["secret topic"], **changes)
    gone = 410 if commentary.status == Commentary.Status.WITHDRAWN else 404
    assert client.get(f"/commentaries/{commentary.number}/").status_code == gone
    assert client.get(commentary.get_absolute_url()).status_code == gone
    assert client.get(author.get_absolute_url()).status_code == 404
    assert client.get("/topics/secret-topic/").status_code == 404
    assert commentary.title not in visible_text(client.get("/"))
    assert commentary.title not in visible_text(client.get("/commentaries/"))


def test_query_counts_do_not_grow_on_listings(client, db, django_assert_max_num_queries):
    """Guards against N+1: a full page of rich commentaries costs what one plain one does."""
    small = full_commentary(authors=1, key_points=1, topics=1)
    small.tags.add("shared")
    author = small.ordered_authors[0]
    year = f"/archive/{timezone.localtime(small.published_at).year}/"
    paths = [
        "/",
        "/commentaries/",
        author.get_absolute_url(),
        "/topics/shared/",
        "/authors/",
        year,
    ]
    newer = CommentaryFactory.create_batch(
        20, published_at=small.published_at + dt.timedelta(seconds=1)
    )
    paths += ["/series/ajiss-commentary/", f"/commentaries/?older={cursor(newer[0])}", "/topics/"]
    baseline = query_counts(client, paths)
    for _ in range(25):
        big = full_commentary(authors=5, key_points=10, topics=8)
        big.tags.add("shared")
        big.authorships.create(author=author, position=6)
    for path in paths:
        with django_assert_max_num_queries(baseline[path]):
            assert client.get(path).status_code == 200


def test_cards_match_no_url_pattern_each(client, db, monkeypatch):
    """A list of twenty cards, their authors and the feeds of twenty pieces match URL patterns
    (reverse()) as often as those of one piece do: addresses come from commentaries.addresses."""
    matched = []
    match = URLResolver._reverse_with_prefix

    def counted(self, *args, **kwargs):
        matched.append(args[0])
        return match(self, *args, **kwargs)

    monkeypatch.setattr(URLResolver, "_reverse_with_prefix", counted)
    authors = AuthorFactory.create_batch(3)
    CommentaryFactory(authors=authors)
    paths = [
        "/",
        "/commentaries/",
        authors[0].get_absolute_url(),
        "/search/?q=test",
        "/feeds/rss/",
    ]

    def reverses(path):
        cache.clear()  # rendered, not served from the page cache
        matched.clear()
        assert client.get(path).status_code == 200, path
        return len(matched)

    for path in paths:
        reverses(path)  # the first address of each kind is reversed, and its shape kept
    one_piece = {path: reverses(path) for path in paths}
    CommentaryFactory.create_batch(19, authors=authors)
    assert {path: reverses(path) for path in paths} == one_piece


def test_query_count_of_commentary_page_does_not_grow(client, db, django_assert_max_num_queries):
    small = full_commentary(authors=1, key_points=1, topics=1)
    big = full_commentary(authors=5, key_points=10, topics=8)
    with CaptureQueriesContext(connection) as baseline:
        assert client.get(small.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(len(baseline)):
        assert client.get(big.get_absolute_url()).status_code == 200


def test_year_archive(client, seed):
    CommentaryFactory(title="A piece of 2016", published_at=dt.datetime(2016, 1, 1, tzinfo=dt.UTC))
    text = visible_text(client.get("/archive/2015/"))
    assert "Commentaries of 2015" in text
    assert SEED.title in text
    assert "A piece of 2016" not in text
    links = re.findall(r'href="(/archive/\d{4}/)"', client.get("/commentaries/").content.decode())
    assert links == ["/archive/2016/", "/archive/2015/"]


def test_the_archive_old_address_moved_for_good(client, seed):
    response = client.get("/commentaries/2015/")
    assert response.status_code == 301
    assert response["Location"] == "/archive/2015/"


def test_year_follows_the_site_time_zone(client, db):
    """A piece published at 00:30 on 1 January in Tokyo belongs to the new year."""
    commentary = CommentaryFactory(published_at=dt.datetime(2019, 12, 31, 15, 30, tzinfo=dt.UTC))
    assert commentary.title in visible_text(client.get("/archive/2020/"))
    assert client.get("/archive/2019/").status_code == 404


def test_a_piece_numbered_like_a_year_keeps_its_address(client, seed):
    commentary = CommentaryFactory(number=2015)
    response = client.get("/commentaries/2015/")
    assert response.status_code == 301
    assert response["Location"] == commentary.get_absolute_url()
