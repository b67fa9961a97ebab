import calendar
import datetime as dt
import html
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.core.cache import cache
from django.utils import timezone

from commentaries import importer
from commentaries.models import Commentary
from tests.factories import AuthorFactory, CommentaryFactory, full_commentary
from tests.queries import query_counts

pytestmark = pytest.mark.django_db

SEED = importer.parse(
    (Path(importer.__file__).parent / "seed" / "ajiss-commentary-210.txt").read_text()
)
KINDS = ["rss", "atom", "json"]
SCOPES = [
    "/",
    "/series/ajiss-commentary/",
    "/authors/junya-nishino/",
    "/topics/japan-rok-relations/",
]
FEEDS = [f"{scope}feeds/{kind}/" for scope in SCOPES for kind in KINDS]
TOKYO = ZoneInfo("Asia/Tokyo")


def text_of(fragment):
    """What a reader sees of an HTML fragment: tags dropped, entities decoded, spaces folded."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment or ""))).strip()


def check_json_feed(feed):
    """The fields JSON Feed 1.1 requires, and the shapes of the optional ones the site sends."""
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["title"]
    assert feed["home_page_url"].startswith("http://testserver/")
    assert feed["feed_url"].startswith("http://testserver/")
    assert isinstance(feed["items"], list)
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert isinstance(item.get("content_html") or item.get("content_text"), str)
        assert item["url"].startswith("http://testserver/")
        for key in ("date_published", "date_modified"):
            assert dt.datetime.fromisoformat(item[key]).tzinfo is not None
        assert all(
            author["name"] and author["url"].startswith("http")
            for author in item.get("authors", [])
        )
        assert all(isinstance(tag, str) for tag in item.get("tags", []))
        assert not any(value in (None, "", []) for value in item.values())


def utc(struct_time):
    return dt.datetime.fromtimestamp(calendar.timegm(struct_time), dt.UTC)


def read(client, path):
    """The feed at `path` as a list of entries in one shape, whatever its format.

    RSS and Atom are parsed by feedparser and must not be bozo; JSON Feed is checked against
    the fields its specification requires.
    """
    response = client.get(path)
    assert response.status_code == 200, path
    if path.endswith("/json/"):
        feed = json.loads(response.content)
        check_json_feed(feed)
        return [
            {
                "id": item["id"],
                "title": item["title"],
                "link": item["url"],
                "published": dt.datetime.fromisoformat(item["date_published"]),
                "updated": dt.datetime.fromisoformat(item["date_modified"]),
                "content": item["content_html"],
                "summary": item.get("summary", ""),
                "authors": [author["name"] for author in item.get("authors", [])],
                "tags": item.get("tags", []),
            }
            for item in feed["items"]
        ]
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (path, feed.get("bozo_exception"))
    return [
        {
            "id": entry.id,
            "title": entry.title,
            "link": entry.link,
            "published": utc(entry.published_parsed),
            "updated": utc(entry.updated_parsed) if "updated_parsed" in entry else None,
            "content": entry.content[0].value,
            "summary": entry.summary,
            "authors": [author.get("name") for author in entry.get("authors", [])],
            "tags": [tag.term for tag in entry.get("tags", [])],
        }
        for entry in feed.entries
    ]


def entry_for(entries, commentary):
    found = [entry for entry in entries if commentary.title in entry["title"]]
    assert len(found) == 1, [entry["title"] for entry in entries]
    return found[0]


@pytest.mark.parametrize("path", FEEDS)
def test_every_feed_reads_clean_and_holds_210_in_full(client, seed, path):
    entry = entry_for(read(client, path), seed)
    assert entry["link"] == f"http://testserver{seed.get_absolute_url()}"
    assert entry["id"] == "tag:commentaries.example.org,2015:ajiss-commentary/210"
    assert entry["authors"] == ["Junya Nishino"]
    assert "Japan-ROK relations" in entry["tags"]
    assert entry["published"].astimezone(TOKYO).date() == dt.date(2015, 5, 15)
    content = text_of(entry["content"])
    for part in (*SEED.key_points, *SEED.body, SEED.authors[0].bio, "should not be attributed"):
        assert part in content
    summary = text_of(entry["summary"])
    assert SEED.key_points[0] in summary
    assert SEED.body[0] not in summary


def test_feeds_hold_the_latest_20_published_only(client, seed):
    now = timezone.now()
    for days in range(25):
        CommentaryFactory(published_at=now - dt.timedelta(days=days + 1))
    for kind in KINDS:
        entries = read(client, f"/feeds/{kind}/")
        assert len(entries) == 20
        assert entries == sorted(entries, key=lambda entry: entry["published"], reverse=True)


def test_feed_length_is_a_setting(client, seed, settings):
    settings.FEED_LENGTH = 3
    for _ in range(5):
        CommentaryFactory()
    for kind in KINDS:
        assert len(read(client, f"/feeds/{kind}/")) == 3


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Commentary.Status.DRAFT},
        {"status": Commentary.Status.IN_REVIEW},
        {"status": Commentary.Status.WITHDRAWN},
        # Reckoned when the tests are collected, minutes before this one runs: days ahead.
        {"published_at": timezone.now() + dt.timedelta(days=7)},
    ],
    ids=["draft", "in review", "withdrawn", "scheduled"],
)
def test_no_feed_shows_a_piece_before_or_after_it_is_public(client, db, changes):
    author = AuthorFactory()
    public = CommentaryFactory(authors=[author], topics=["shared topic"])
    hidden = CommentaryFactory(
        authors=[author], topics=["shared topic", "secret topic"], **changes
    )
    hidden_only = AuthorFactory()
    hidden.authorships.create(author=hidden_only, position=2)
    for scope in (
        "/",
        "/series/ajiss-commentary/",
        author.get_absolute_url(),
        "/topics/shared-topic/",
    ):
        for kind in KINDS:
            titles = [entry["title"] for entry in read(client, f"{scope}feeds/{kind}/")]
            assert any(public.title in title for title in titles)
            assert not any(hidden.title in title for title in titles)
    for scope in (hidden_only.get_absolute_url(), "/topics/secret-topic/"):
        for kind in KINDS:
            assert client.get(f"{scope}feeds/{kind}/").status_code == 404


def test_scheduled_piece_appears_when_its_time_comes(client, seed, time_machine):
    """Even with the feed cached a moment before: the cache never outlives a publication time."""
    time_machine.move_to(timezone.now(), tick=False)
    scheduled = CommentaryFactory(published_at=timezone.now() + dt.timedelta(seconds=30))
    for kind in KINDS:
        assert not any(scheduled.title in e["title"] for e in read(client, f"/feeds/{kind}/"))
    time_machine.shift(dt.timedelta(seconds=30))
    for kind in KINDS:
        assert entry_for(read(client, f"/feeds/{kind}/"), scheduled)


@pytest.mark.parametrize("kind", KINDS)
def test_ids_survive_title_slug_and_date_edits(client, seed, kind):
    before = entry_for(read(client, f"/feeds/{kind}/"), seed)
    seed.title, seed.slug = "A retitled piece", "a-retitled-piece"
    seed.published_at += dt.timedelta(days=1)
    seed.save()
    after = entry_for(read(client, f"/feeds/{kind}/"), seed)
    assert after["id"] == before["id"]
    assert after["link"] == "http://testserver/commentaries/210/a-retitled-piece/"


@pytest.mark.parametrize("kind", ["atom", "json"])
def test_updated_moves_only_with_a_major_correction(client, seed, kind):
    path = f"/feeds/{kind}/"
    published = entry_for(read(client, path), seed)["published"]
    assert entry_for(read(client, path), seed)["updated"] == published

    seed.title += " (typo fixed)"
    seed.body += "<p>A clarifying sentence.</p>"
    seed.save()
    minor = entry_for(read(client, path), seed)
    assert "A clarifying sentence." in minor["content"]
    assert minor["updated"] == published

    corrected_at = timezone.now().replace(microsecond=0)
    seed.corrections.create(made_at=corrected_at, note="The poll figures are now right.")
    seed.modified_at = corrected_at
    seed.save()
    major = entry_for(read(client, path), seed)
    assert major["updated"] == corrected_at
    assert major["published"] == published
    assert "The poll figures are now right." in text_of(major["content"])


def test_each_author_is_named_with_their_page(client, db):
    first, second = AuthorFactory(given_name="Aiko"), AuthorFactory(given_name="Ben")
    commentary = CommentaryFactory(authors=[first, second])
    assert entry_for(read(client, "/feeds/rss/"), commentary)["authors"] == [
        f"Aiko {first.family_name} and Ben {second.family_name}"
    ]
    for kind in ("atom", "json"):
        assert entry_for(read(client, f"/feeds/{kind}/"), commentary)["authors"] == [
            first.byline_name,
            second.byline_name,
        ]
    atom = feedparser.parse(client.get("/feeds/atom/").content)
    [entry] = [entry for entry in atom.entries if commentary.title in entry.title]
    assert [author.href for author in entry.authors] == [
        f"http://testserver{first.get_absolute_url()}",
        f"http://testserver{second.get_absolute_url()}",
    ]


def test_titles_keep_ampersands_quotes_and_brackets(client, db):
    commentary = CommentaryFactory(title='Japan & the ROK: "A <new> era"')
    for kind in KINDS:
        entry = entry_for(read(client, f"/feeds/{kind}/"), commentary)
        assert entry["title"] == f'{commentary.label}: Japan & the ROK: "A <new> era"'


def test_plain_text_is_escaped_in_content(client, db):
    hostile = '<img src=x onerror="alert(1)"> & <b>bold</b>'
    commentary = CommentaryFactory(key_points=[f"Point {hostile}"])
    commentary.corrections.create(note=f"Note {hostile}")
    for kind in KINDS:
        entry = entry_for(read(client, f"/feeds/{kind}/"), commentary)
        assert "<img" not in entry["content"] and "<b>" not in entry["content"]
        assert f"Point {hostile}" in text_of(entry["content"])
        assert f"Note {hostile}" in text_of(entry["content"])


def test_editors_summary_takes_the_place_of_the_key_points(client, db):
    commentary = CommentaryFactory(summary="In short: talk more.", key_points=["A key point"])
    for kind in KINDS:
        entry = entry_for(read(client, f"/feeds/{kind}/"), commentary)
        assert text_of(entry["summary"]) == "In short: talk more."
        assert "A key point" in text_of(entry["content"])


@pytest.mark.parametrize(
    "path",
    [
        "/authors/no-such-author/feeds/rss/",
        "/topics/no-such-topic/feeds/atom/",
        "/topics/%F0%9F%92%A5/feeds/json/",
        "/series/no-such-series/feeds/rss/",
        "/feeds/xml/",
        "/feeds/rss/extra/",
    ],
)
def test_unknown_feeds_are_404(client, seed, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_xml_feeds_carry_no_xslt_stylesheet(client, seed, kind):
    """Browsers are dropping XSLT; they get an HTML page at the feed's address instead."""
    assert "<?xml-stylesheet" not in client.get(f"/feeds/{kind}/").content.decode()


def test_feed_query_counts_do_not_grow_with_length(client, db, django_assert_max_num_queries):
    """Guards against N+1: 25 rich items cost what one plain item does, in every feed."""
    author = AuthorFactory(slug="shared-author")
    CommentaryFactory(authors=[author], key_points=["one"], topics=["shared"])
    paths = [
        f"{scope}feeds/{kind}/"
        for scope in (
            "/",
            "/series/ajiss-commentary/",
            "/authors/shared-author/",
            "/topics/shared/",
        )
        for kind in KINDS
    ]
    baseline = query_counts(client, paths)
    for _ in range(25):
        big = full_commentary(authors=4, key_points=10, topics=8)
        big.tags.add("shared")
        big.authorships.create(author=author, position=5)
        big.corrections.create(note="A correction.")
    cache.clear()
    for path in paths:
        with django_assert_max_num_queries(baseline[path]):
            assert len(read(client, path)) == 20


def alternates(client, path):
    page = client.get(path).content.decode()
    return re.findall(
        r'<link rel="alternate" type="([^"]+)" hreflang="en" title="[^"]*" href="([^"]+)">', page
    )


def test_every_page_advertises_the_site_feeds(client, seed):
    site = [  # absolute, as a link with an hreflang must be
        ("application/rss+xml", "http://testserver/feeds/rss/"),
        ("application/atom+xml", "http://testserver/feeds/atom/"),
        ("application/feed+json", "http://testserver/feeds/json/"),
    ]
    for path in ("/", "/commentaries/", seed.get_absolute_url(), "/authors/"):
        assert alternates(client, path) == site


@pytest.mark.parametrize(
    "path",
    ["/authors/junya-nishino/", "/topics/japan-rok-relations/", "/series/ajiss-commentary/"],
)
def test_author_topic_and_series_pages_advertise_their_own_feeds_first(client, seed, path):
    links = alternates(client, path)
    site = "http://testserver"
    assert [href for _, href in links[:3]] == [f"{site}{path}feeds/{kind}/" for kind in KINDS]
    assert [href for _, href in links[3:]] == [f"{site}/feeds/{kind}/" for kind in KINDS]
    for _, href in links:
        assert client.get(href).status_code == 200
