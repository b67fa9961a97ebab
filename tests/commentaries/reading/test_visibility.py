import datetime as dt
import re

import pytest
from django.utils import timezone

from commentaries.models import Commentary
from tests.factories import AuthorFactory, CommentaryFactory

pytestmark = pytest.mark.django_db


def hidden_piece(state):
    """A piece readers must not see, sharing its author and topic with a public one."""
    author = AuthorFactory(family_name="Quokkason")
    CommentaryFactory(title="Public companion", authors=[author], topics=["shared topic"])
    changes = {
        "draft": {"status": Commentary.Status.DRAFT},
        "in review": {"status": Commentary.Status.IN_REVIEW},
        "scheduled": {"published_at": timezone.now() + dt.timedelta(minutes=2)},
        "withdrawn": {"status": Commentary.Status.WITHDRAWN},
        "withdrawn before its time": {"published_at": timezone.now() + dt.timedelta(minutes=2)},
    }[state]
    piece = CommentaryFactory(
        title="Zephyrine hidden piece",
        authors=[author],
        key_points=["Zephyrine key point"],
        topics=["shared topic"],
        **changes,
    )
    if state == "withdrawn":  # it had been public before
        piece.first_published_at = piece.published_at
        piece.save()
    if state == "withdrawn before its time":
        piece.status = Commentary.Status.WITHDRAWN
        piece.save()
    return piece, author


def public_surfaces(client, author):
    """Every page a reader or subscriber can reach, with the feeds the pages advertise."""
    pages = [
        "/",
        "/commentaries/",
        f"/commentaries/{timezone.now().year}/",
        "/series/ajiss-commentary/",
        "/authors/",
        author.get_absolute_url(),
        "/topics/shared-topic/",
        "/search/?q=Zephyrine",
        "/sitemap.xml",
    ]
    feeds = set()
    for path in pages[:7]:
        feeds.update(
            re.findall(
                r'<link rel="alternate" type="[^"]+"[^>]* href="([^"]+)"',
                client.get(path).content.decode(),
            )
        )
    assert feeds, "the pages advertise no feed"
    return pages + sorted(feeds)


@pytest.mark.parametrize(
    "state", ["draft", "in review", "scheduled", "withdrawn", "withdrawn before its time"]
)
def test_unpublished_pieces_appear_on_no_public_surface(client, seed, state):
    piece, author = hidden_piece(state)
    expected = 410 if state == "withdrawn" else 404
    assert client.get(f"/commentaries/{piece.number}/").status_code == expected
    assert client.get(piece.get_absolute_url()).status_code == expected
    for path in public_surfaces(client, author):
        content = client.get(path).content.decode()
        assert "Zephyrine hidden piece" not in content, path
        assert "Zephyrine key point" not in content, path
        assert f"/commentaries/{piece.number}/" not in content, path
