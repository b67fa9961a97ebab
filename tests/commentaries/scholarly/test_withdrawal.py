"""A withdrawn piece's DOI keeps resolving: to a withdrawal notice that answers 200, deposited at
Crossref as a durable task when the piece is withdrawn, while its own address answers 410."""

import datetime as dt

import lxml.html
import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from lxml import etree

from commentaries.models import Commentary
from commentaries.publishing import events, services
from commentaries.scholarly import crossref
from commentaries.scholarly.models import CrossrefDeposit
from tests.commentaries.scholarly.test_crossref import multipart, parse
from tests.factories import AuthorFactory, CommentaryFactory, SeriesFactory

pytestmark = pytest.mark.django_db
NS = {"c": crossref.CR, "j": crossref.JATS, "r": "http://www.crossref.org/relations.xsd"}
SITE = "https://commentaries.example.org"
REASON = "The figures in the second section\nwere wrong."


def notice_path(piece):
    return f"/commentaries/{piece.number}/withdrawn/"


def withdrawn(**kwargs):
    """A piece that was public (its event recorded), then withdrawn with a reason."""
    piece = CommentaryFactory(
        title="Shipping lanes and the Strait",
        authors=[AuthorFactory(given_name="Keiko", family_name="Tanaka")],
        published_at=timezone.now() - dt.timedelta(days=30),
        **kwargs,
    )
    events.reconcile(piece.pk)
    services.commentary_withdraw(commentary=piece, by=None, reason=REASON)
    events.reconcile(piece.pk)  # as the service's transaction commits
    piece.refresh_from_db()
    return piece


def test_the_doi_resolves_to_a_notice_that_answers_while_the_address_is_gone(client):
    piece = withdrawn(doi="10.99999/ajiss.901")
    own = client.get(piece.get_absolute_url())
    assert own.status_code == 410

    notice = client.get(notice_path(piece))
    assert notice.status_code == 200
    assert notice["X-Robots-Tag"] == "noindex"
    page = lxml.html.fromstring(notice.content)
    assert page.xpath("//meta[@name='robots']/@content") == ["noindex"]
    text = " ".join(page.xpath("string(//main)").split())
    published = timezone.localtime(piece.published_at).strftime("%-d %B %Y")
    withdrawn_on = timezone.localtime(piece.withdrawn_at).strftime("%-d %B %Y")
    for expected in (
        "Shipping lanes and the Strait",
        "Keiko Tanaka",
        f"published {published}",
        f"withdrawn by the editors on {withdrawn_on}",
        "The figures in the second section",  # the reason, its line break kept (<br>)
        "were wrong.",
        "https://doi.org/10.99999/ajiss.901",
    ):
        assert expected in text, expected
    assert crossref.notice_path(piece) == notice_path(piece)


def test_only_a_withdrawn_piece_with_a_doi_has_a_notice(client):
    public = CommentaryFactory(number=902, doi="10.99999/ajiss.902")
    no_doi = withdrawn(number=903)
    draft = CommentaryFactory(number=904, doi="10.99999/ajiss.904", status="draft")
    for piece in (public, no_doi, draft):
        assert client.get(notice_path(piece)).status_code == 404


def test_a_piece_of_another_series_has_its_notice_under_the_series(client):
    withdrawn(series=SeriesFactory(slug="policy-briefs"), number=7, doi="10.99999/pb.7")
    assert client.get("/series/policy-briefs/7/withdrawn/").status_code == 200


def test_withdrawing_deposits_the_doi_pointing_at_the_notice(crossref_endpoint):
    piece = withdrawn(number=905, doi="10.99999/ajiss.905")

    public, gone = crossref_endpoint.posts  # when it became public, and when it was withdrawn
    item = parse(multipart(*gone)["fname"].get_content()).find(
        f".//{{{crossref.CR}}}posted_content"
    )
    notice = SITE + notice_path(piece)
    assert item.xpath("string(c:doi_data/c:doi)", namespaces=NS) == "10.99999/ajiss.905"
    assert item.xpath("string(c:doi_data/c:resource)", namespaces=NS) == notice
    # the withdrawal, as posted_content in schema 5.3.1 can record it: a relation to the notice
    (related,) = item.xpath("r:program/r:related_item", namespaces=NS)
    when = timezone.localtime(piece.withdrawn_at).strftime("%Y-%m-%d")
    assert related.xpath("string(r:description)", namespaces=NS) == (
        f"Withdrawn on {when}: The figures in the second section were wrong."
    )
    (relation,) = related.xpath("r:inter_work_relation", namespaces=NS)
    assert relation.get("relationship-type") == "isDocumentedBy"
    assert relation.get("identifier-type") == "uri"
    assert relation.text == notice
    # in the schema's order: the relations between the abstract and doi_data
    assert [etree.QName(child).localname for child in item][-3:] == [
        "abstract", "program", "doi_data",
    ]  # fmt: skip
    deposits = CrossrefDeposit.objects.filter(commentary=piece, status_code=200)
    assert deposits.count() == 2
    crossref.deposit_piece(piece.pk)  # the task run again: nothing more
    assert len(crossref_endpoint.posts) == 2
    # The public deposit pointed at the piece's own address.
    public_item = parse(multipart(*public)["fname"].get_content())
    assert public_item.xpath("string(//c:doi_data/c:resource)", namespaces=NS) == (
        SITE + piece.get_absolute_url()
    )
    assert not public_item.xpath("//r:program", namespaces=NS)


def test_the_deposit_is_queued_with_the_withdrawal_event(settings):
    """A durable task, in the database, committed with the event: a worker that is down, or
    killed, still deposits it later."""
    settings.CROSSREF_DEPOSIT_URL = "https://test.crossref.org/servlet/deposit"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    piece = CommentaryFactory(
        doi="10.99999/ajiss.906", published_at=timezone.now() - dt.timedelta(1)
    )
    events.reconcile(piece.pk)
    DBTaskResult.objects.all().delete()
    services.commentary_withdraw(commentary=piece, by=None, reason="Superseded.")
    events.reconcile(piece.pk)
    paths = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths.count("commentaries.scholarly.tasks.deposit_at_crossref") == 1
    assert Commentary.objects.get(pk=piece.pk).status == Commentary.Status.WITHDRAWN
