"""Pictures on the pages: the lead image at once, the rest lazily, each with its size set."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.commentaries.media.conftest import picture_bytes
from tests.factories import AuthorFactory, CommentaryFactory

pytestmark = pytest.mark.django_db


def imgs(html):
    return re.findall(r"<img [^>]*>", html)


def test_a_piece_shows_its_lead_image_photos_and_figures(client, make_image):
    lead = make_image(picture_bytes(1600, 900), alt_text="Leaders in Seoul", credit="Photo: Kyodo")
    photos = [make_image(picture_bytes(400, 400), alt_text=f"Portrait {i}") for i in range(3)]
    chart = make_image(picture_bytes(1200, 600), alt_text="A chart")
    body = (
        "<p>Text.</p>"
        f'<figure><img src="/images/{chart.token}/960.jpg" alt="Trade, 2010-2015">'
        "<figcaption>Trade between the two</figcaption></figure>"
    )
    piece = CommentaryFactory(
        lead_image=lead,
        lead_image_caption="The summit.",
        body=body,
        authors=[AuthorFactory(photo=photo) for photo in photos],
    )
    html = client.get(piece.get_absolute_url()).content.decode()
    [first] = [tag for tag in imgs(html) if lead.token in tag]
    others = [tag for tag in imgs(html) if lead.token not in tag]
    assert 'alt="Leaders in Seoul"' in first and 'fetchpriority="high"' in first
    assert 'width="1600" height="900"' in first and "loading" not in first
    assert f"/images/{lead.token}/1600.jpg 1600w" in first
    assert f'<source type="image/webp" srcset="/images/{lead.token}/160.webp 160w' in html
    assert 'The summit. <span class="credit">Photo: Kyodo</span>' in html
    assert all('loading="lazy"' in tag and "width=" in tag and "height=" in tag for tag in others)
    assert sum(f"/images/{photo.token}/160.jpg" in html for photo in photos) == 3
    [figure] = [tag for tag in others if chart.token in tag]
    assert 'alt="Trade, 2010-2015"' in figure and 'width="1200" height="600"' in figure
    assert "<figcaption>Trade between the two</figcaption>" in html


def test_the_piece_page_reads_no_more_for_pictures(
    client, make_image, django_assert_max_num_queries
):
    """Photos come with their authors, the lead image with the piece, figures in one query."""
    bare = CommentaryFactory(authors=[AuthorFactory() for _ in range(3)])
    client.get(bare.get_absolute_url())
    with CaptureQueriesContext(connection) as without:
        client.get(bare.get_absolute_url())
    chart = make_image()
    piece = CommentaryFactory(
        lead_image=make_image(),
        body=f'<figure><img src="/images/{chart.token}/320.jpg" alt="x"></figure>',
        authors=[AuthorFactory(photo=make_image()) for _ in range(3)],
    )
    client.get(piece.get_absolute_url())
    with django_assert_max_num_queries(len(without) + 1):  # the figures' images
        client.get(piece.get_absolute_url())


def test_author_page_and_directory_show_photos(client, make_image):
    photo = make_image(picture_bytes(500, 500), alt_text="Portrait")
    author = AuthorFactory(photo=photo)
    CommentaryFactory(authors=[author])
    page = client.get(author.get_absolute_url()).content.decode()
    assert f"/images/{photo.token}/320.jpg" in page
    directory = client.get("/authors/").content.decode()
    assert f"/images/{photo.token}/160.jpg" in directory
    assert client.get(f"/images/{photo.token}/160.webp").status_code == 200


def test_the_masthead_shows_the_primary_series_logo(client, make_image, seed):
    assert "site-logo" not in client.get("/").content.decode()
    logo = make_image(picture_bytes(800, 200, "PNG"), alt_text="JIIA logo")
    seed.series.logo = logo
    seed.series.save()
    html = client.get("/").content.decode()
    [tag] = [tag for tag in imgs(html) if logo.token in tag]
    # The logo stands for the publisher's name, which it replaces.
    assert f'alt="{seed.series.publisher}"' in tag and 'width="640" height="160"' in tag


def test_the_home_pages_lead_piece_shows_its_lead_image(client, make_image):
    lead = make_image(picture_bytes(1600, 900), alt_text="Leaders in Seoul")
    CommentaryFactory(lead_image=lead)
    html = client.get("/").content.decode()
    [tag] = [tag for tag in imgs(html) if lead.token in tag]
    assert 'alt="Leaders in Seoul"' in tag and 'width="1600" height="900"' in tag


def test_feeds_carry_figures_at_absolute_addresses_and_no_photos(client, make_image):
    chart = make_image(alt_text="A chart")
    photo = make_image()
    CommentaryFactory(
        body=f'<p>Text.</p><figure><img src="/images/{chart.token}/960.jpg" alt="A chart"></figure>',
        authors=[AuthorFactory(photo=photo)],
    )
    feed = client.get(reverse("syndication:feed-rss"), headers={"accept": "application/rss+xml"})
    feed = feed.content.decode()
    assert f"http://testserver/images/{chart.token}/960.jpg" in feed
    assert photo.token not in feed


def test_a_changed_alt_text_shows_at_once_on_cached_pages(client, make_image):
    lead = make_image(alt_text="Leaders in Seoul")
    piece = CommentaryFactory(lead_image=lead)
    assert 'alt="Leaders in Seoul"' in client.get(piece.get_absolute_url()).content.decode()
    lead.alt_text = "Leaders meeting in Seoul"
    lead.save()
    assert (
        'alt="Leaders meeting in Seoul"' in client.get(piece.get_absolute_url()).content.decode()
    )
