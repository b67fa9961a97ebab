import datetime as dt

import lxml.html
from django.utils import timezone

from commentaries.models import Commentary
from commentaries.publishing.models import ReviewNote
from tests.factories import CommentaryFactory

Status = Commentary.Status


def piece(title, status, by, **fields):
    """A piece with a title and state as the tests name them; published a day ago unless told."""
    fields.setdefault("published_at", timezone.now() - dt.timedelta(days=1))
    return CommentaryFactory(title=title, status=status, created_by=by, **fields)


def note(commentary, kind, by, text="", ago=dt.timedelta(0)):
    return ReviewNote.objects.create(
        commentary=commentary, kind=kind, note=text, made_by=by, made_at=timezone.now() - ago
    )


def parse(response):
    return lxml.html.fromstring(response.content.decode())


def words(element):
    return " ".join(" ".join(element.itertext()).split())


def sections(response):
    """{heading without its count: [(title, the row's words, its link)]} of a dashboard."""
    page = parse(response)
    found = {}
    for section in page.xpath("//section[contains(@class, 'desk-section')]"):
        heading = section.xpath("string(h2/text())").strip()
        found[heading] = [
            (
                " ".join(row.xpath("string(a[@class='desk-title'])").split()),
                words(row),
                row.xpath("string(a[@class='desk-title']/@href)"),
            )
            for row in section.xpath(".//ol[@class='desk-list']/li")
        ]
    return found


def titles(response, heading):
    return [title for title, _, _ in sections(response).get(heading, [])]


def count(response, heading):
    found = parse(response).xpath(
        f"//section[contains(@class, 'desk-section')]/h2[normalize-space(text())='{heading}']"
        "/span[@class='desk-count']/text()"
    )
    return found[0] if found else None
