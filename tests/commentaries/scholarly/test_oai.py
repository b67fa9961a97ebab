import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree
from sickle import Sickle

from commentaries.models import Commentary
from commentaries.publishing import events, services
from commentaries.scholarly import oai
from tests.factories import AuthorFactory, CommentaryFactory

NS = {"o": oai.OAI, "dc": oai.DC, "oai_dc": oai.OAI_DC}
DAY = dt.timedelta(days=1)


def pieces():
    """20 public pieces (one tagged), one withdrawn, one draft, one scheduled."""
    author = AuthorFactory(given_name="Aiko", family_name="Tanabe")
    now = timezone.now()
    public = [
        CommentaryFactory(number=n, authors=[author], published_at=now - (30 - i) * DAY)
        for i, n in enumerate(range(3001, 3021))
    ]
    public[0].tags.add("Maritime order")
    gone = CommentaryFactory(number=3090, title="Withdrawn piece")
    services.commentary_withdraw(commentary=gone, by=None, reason="Superseded.")
    CommentaryFactory(number=3091, title="Draft piece", status=Commentary.Status.DRAFT)
    CommentaryFactory(number=3092, title="Scheduled piece", published_at=now + 3 * DAY)
    return public, gone


def get(client, **params):
    response = client.get("/oai/", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    root = etree.fromstring(response.content)
    assert root.tag == f"{{{oai.OAI}}}OAI-PMH"
    assert root.find("o:responseDate", NS) is not None
    assert root.find("o:request", NS) is not None
    return root


def error(root):
    return [e.get("code") for e in root.findall("o:error", NS)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_harvester_gets_every_public_piece_and_the_withdrawn_one_as_deleted(
    live_server, settings
):
    settings.OAI_PAGE_SIZE = 7
    public, gone = pieces()
    Commentary.objects.filter(number=210).delete()  # only this test's pieces
    harvester = Sickle(f"{live_server.url}/oai/")
    records = list(harvester.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    live = [r for r in records if not r.deleted]
    assert sorted(r.metadata["title"][0] for r in live) == sorted(p.title for p in public)
    assert [r.header.identifier for r in records if r.deleted] == [
        f"oai:localhost:ajiss-commentary/{gone.number}"
    ]
    first = next(r for r in live if r.metadata["title"][0] == public[0].title)
    assert first.metadata["creator"] == ["Tanabe, Aiko"]
    assert first.header.setSpecs == ["series:ajiss-commentary", "topic:maritime-order"]
    headers = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", set="topic:maritime-order"))
    assert [h.identifier for h in headers] == [first.header.identifier]
    one = harvester.GetRecord(identifier=first.header.identifier, metadataPrefix="oai_dc")
    assert one.metadata["title"] == [public[0].title]
    assert {s.setSpec for s in harvester.ListSets()} >= {
        "series:ajiss-commentary",
        "topic:maritime-order",
    }


@pytest.mark.django_db
def test_identify(client, seed):
    root = get(client, verb="Identify")
    identify = root.find("o:Identify", NS)
    assert identify.findtext("o:baseURL", namespaces=NS) == "http://testserver/oai/"
    assert identify.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert "@" in identify.findtext("o:adminEmail", namespaces=NS)
    earliest = identify.findtext("o:earliestDatestamp", namespaces=NS)
    assert (
        error(get(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": earliest}))
        == []
    )
    before = (dt.datetime.strptime(earliest, oai.SECONDS) - dt.timedelta(seconds=1)).strftime(
        oai.SECONDS
    )
    assert error(get(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until=before)) == [
        "noRecordsMatch"
    ]
    assert root.find("o:request", NS).get("verb") == "Identify"


@pytest.mark.django_db
def test_dublin_core_of_the_seed(client, seed):
    seed.doi = "10.99999/ajiss.210"
    seed.save()
    root = get(
        client,
        verb="GetRecord",
        metadataPrefix="oai_dc",
        identifier="oai:testserver:ajiss-commentary/210",
    )
    dc = root.find(".//oai_dc:dc", NS)
    values = {child.tag.split("}")[1]: [] for child in dc}
    for child in dc:
        values[child.tag.split("}")[1]].append(child.text)
    assert values["title"] == [seed.title]
    assert values["creator"] == ["Nishino, Junya"]
    assert values["date"] == ["2015-05-15"]
    assert "https://doi.org/10.99999/ajiss.210" in values["identifier"]
    assert "report" in values["type"]


@pytest.mark.django_db
def test_resumption_tokens_are_signed_and_pages_read_by_keyset(client, settings):
    settings.OAI_PAGE_SIZE = 5
    pieces()
    root = get(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.find(".//o:resumptionToken", NS)
    assert token.get("completeListSize") == "22"  # 20 public, the withdrawn one, the seed
    assert token.get("cursor") == "0"
    seen = [h.text for h in root.iterfind(".//o:identifier", NS)]
    with CaptureQueriesContext(connection) as queries:
        while token is not None and token.text:
            root = get(client, verb="ListIdentifiers", resumptionToken=token.text)
            seen += [h.text for h in root.iterfind(".//o:identifier", NS)]
            token = root.find(".//o:resumptionToken", NS)
    assert len(seen) == len(set(seen)) == 22
    sql = " ".join(q["sql"] for q in queries.captured_queries).upper()
    assert "LIMIT" in sql and "OFFSET" not in sql
    first_token = (
        get(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
        .find(".//o:resumptionToken", NS)
        .text
    )
    tampered = first_token[:10] + ("A" if first_token[10] != "A" else "B") + first_token[11:]
    assert error(get(client, verb="ListIdentifiers", resumptionToken=tampered)) == [
        "badResumptionToken"
    ]
    assert error(get(client, verb="ListRecords", resumptionToken=first_token)) == [
        "badResumptionToken"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Nonsense"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "not-a-date"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2015-01-01",
                "until": "2016-01-01T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2016-01-01",
                "until": "2015-01-01",
            },
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "nope"}, "cannotDisseminateFormat"),
        (
            {
                "verb": "GetRecord",
                "metadataPrefix": "nope",
                "identifier": "oai:testserver:ajiss-commentary/210",
            },
            "cannotDisseminateFormat",
        ),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:nope"},
            "idDoesNotExist",
        ),
        (
            {
                "verb": "GetRecord",
                "metadataPrefix": "oai_dc",
                "identifier": "oai:testserver:ajiss-commentary/9999",
            },
            "idDoesNotExist",
        ),
        (
            {"verb": "ListMetadataFormats", "identifier": "oai:testserver:ajiss-commentary/9999"},
            "idDoesNotExist",
        ),
        ({"verb": "ListRecords", "resumptionToken": "garbage"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "garbage"}, "badResumptionToken"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2999-01-01"},
            "noRecordsMatch",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2999-01-01T00:00:00Z"},
            "noRecordsMatch",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "series:nothing"},
            "noRecordsMatch",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "topic:a.00b"},
            "noRecordsMatch",
        ),
    ],
)
def test_protocol_errors(client, seed, params, code):
    root = get(client, **params)
    assert error(root) == [code]
    request = root.find("o:request", NS)
    if code in ("badVerb", "badArgument"):
        assert request.attrib == {}  # the protocol: no attributes echoed for these


@pytest.mark.django_db
def test_post_and_formats(client, seed):
    root = etree.fromstring(client.post("/oai/", {"verb": "ListMetadataFormats"}).content)
    assert [e.text for e in root.iterfind(".//o:metadataPrefix", NS)] == ["oai_dc"]


@pytest.mark.django_db
def test_drafts_and_scheduled_pieces_are_never_records(client):
    pieces()
    root = get(client, verb="ListRecords", metadataPrefix="oai_dc")
    titles = {t.text for t in root.iterfind(".//dc:title", NS)}
    assert not titles & {"Draft piece", "Scheduled piece", "Withdrawn piece"}
    for number in (3091, 3092):
        identifier = f"oai:testserver:ajiss-commentary/{number}"
        assert error(
            get(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=identifier)
        ) == ["idDoesNotExist"]
    deleted = get(
        client,
        verb="GetRecord",
        metadataPrefix="oai_dc",
        identifier="oai:testserver:ajiss-commentary/3090",
    )
    assert deleted.find(".//o:header", NS).get("status") == "deleted"
    assert deleted.find(".//o:metadata", NS) is None


@pytest.mark.postgres
@pytest.mark.django_db
def test_list_pages_are_read_through_the_datestamp_index(seed):
    """The keyset's expression is the index's, so a page deep in the archive is an index scan."""
    stamp = oai.records().get(pk=seed.pk).datestamp
    page = oai.records().filter(datestamp__gte=stamp).order_by("datestamp", "pk")[:21]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table this small is scanned anyway
        sql, params = page.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "commentary_oai_datestamp" in plan


def header_of(client, number):
    root = get(
        client,
        verb="GetRecord",
        metadataPrefix="oai_dc",
        identifier=f"oai:testserver:ajiss-commentary/{number}",
    )
    return root.find(".//o:header", NS)


def set_specs_listed(client):
    return [s.text for s in get(client, verb="ListSets").iterfind(".//o:setSpec", NS)]


def identifiers_in(client, spec):
    root = get(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=spec)
    return error(root) or [h.text for h in root.iterfind(".//o:identifier", NS)]


@pytest.mark.django_db
@pytest.mark.parametrize("leave", ["withdraw", "unpublish"])
def test_a_deleted_record_keeps_the_sets_it_was_in_when_last_public(client, leave):
    """Topics given to a piece after it stopped being public are on no public page, so OAI
    publishes them nowhere: not in its deleted record's header, not in ListSets."""
    piece = CommentaryFactory(number=3100, published_at=timezone.now() - DAY)
    piece.tags.add("Maritime order")
    events.reconcile(piece.pk)  # announced: it has been public
    if leave == "withdraw":
        services.commentary_withdraw(commentary=piece, by=None, reason="Superseded.")
    else:
        services.commentary_unpublish(commentary=piece, by=None)
    events.reconcile(piece.pk)  # as the service's transaction commits
    piece.tags.add("Secret negotiations")  # an editor tags the piece afterwards

    head = header_of(client, 3100)
    assert head.get("status") == "deleted"
    assert [s.text for s in head.iterfind("o:setSpec", NS)] == [
        "series:ajiss-commentary",
        "topic:maritime-order",
    ]
    listed = set_specs_listed(client)
    assert "topic:secret-negotiations" not in listed
    assert "topic:maritime-order" in listed  # held by the deleted record alone
    assert identifiers_in(client, "topic:secret-negotiations") == ["noRecordsMatch"]
    assert identifiers_in(client, "topic:maritime-order") == [
        "oai:testserver:ajiss-commentary/3100"
    ]
    assert "oai:testserver:ajiss-commentary/3100" in identifiers_in(
        client, "series:ajiss-commentary"
    )


@pytest.mark.django_db
def test_a_record_public_again_is_in_its_sets_of_now(client):
    piece = CommentaryFactory(number=3101, published_at=timezone.now() - DAY)
    piece.tags.add("Maritime order")
    events.reconcile(piece.pk)
    services.commentary_withdraw(commentary=piece, by=None, reason="Superseded.")
    events.reconcile(piece.pk)
    piece.tags.remove("Maritime order")
    piece.tags.add("Trade")
    services.commentary_publish(commentary=piece, by=None)
    events.reconcile(piece.pk)

    head = header_of(client, 3101)
    assert head.get("status") is None
    assert [s.text for s in head.iterfind("o:setSpec", NS)] == [
        "series:ajiss-commentary",
        "topic:trade",
    ]
    listed = set_specs_listed(client)
    assert "topic:trade" in listed and "topic:maritime-order" not in listed
    assert identifiers_in(client, "topic:maritime-order") == ["noRecordsMatch"]


@pytest.mark.django_db
def test_list_sets_offers_only_sets_holding_a_public_piece_or_a_deleted_record(client, seed):
    draft = CommentaryFactory(number=3102, status=Commentary.Status.DRAFT)
    draft.tags.add("Not yet announced")
    scheduled = CommentaryFactory(number=3103, published_at=timezone.now() + DAY)
    scheduled.tags.add("Coming soon")
    seed.tags.add("Alliances")
    listed = set_specs_listed(client)
    assert listed[:2] == ["series", "series:ajiss-commentary"]
    assert "topic" in listed and "topic:alliances" in listed
    assert "topic:not-yet-announced" not in listed and "topic:coming-soon" not in listed


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_harvester_sees_a_deleted_record_in_the_sets_it_left(live_server):
    """Sickle, harvesting the live server by set, removes the piece from the set it was in."""
    Commentary.objects.filter(number=210).delete()
    piece = CommentaryFactory(number=3104, published_at=timezone.now() - DAY)
    piece.tags.add("Maritime order")
    events.reconcile(piece.pk)  # announced: it has been public
    services.commentary_withdraw(commentary=piece, by=None, reason="Superseded.")
    piece.tags.add("Secret negotiations")
    harvester = Sickle(f"{live_server.url}/oai/")
    (header,) = harvester.ListIdentifiers(
        metadataPrefix="oai_dc", set="topic:maritime-order", ignore_deleted=False
    )
    assert header.deleted
    assert header.setSpecs == ["series:ajiss-commentary", "topic:maritime-order"]
    assert {s.setSpec for s in harvester.ListSets()} == {
        "series",
        "series:ajiss-commentary",
        "topic",
        "topic:maritime-order",
    }
