"""OAI-PMH with editions: a record per public edition, each with its own identifier (the
original's as before editions), its dc:language, and dc:relation to the other public editions."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree
from sickle import Sickle

from authors.models import AuthorName
from commentaries.models import Commentary
from commentaries.scholarly import oai
from tests.factories import AuthorFactory, CommentaryFactory

NS = {"o": oai.OAI, "dc": oai.DC}
DAY = dt.timedelta(days=1)


def work(number, *, translated=True, doi=True):
    """An English original and, if `translated`, its public Japanese edition, both by an author
    with a Japanese name."""
    author = AuthorFactory(given_name="Aiko", family_name="Tanabe", slug=f"aiko-tanabe-{number}")
    AuthorName.objects.create(author=author, language="ja", name="田辺愛子")
    english = CommentaryFactory(
        authors=[author],
        number=number,
        title=f"Port cooperation {number}",
        doi=f"10.99999/ajiss.{number}" if doi else None,
        published_at=timezone.now() - 3 * DAY,
    )
    japanese = None
    if translated:
        japanese = CommentaryFactory(
            authors=[author],
            number=number,
            language="ja",
            original=english,
            title=f"港湾の協力 {number}",
            doi=f"10.99999/ajiss.{number}.ja" if doi else None,
            published_at=timezone.now() - 2 * DAY,
        )
    return english, japanese


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_harvester_gets_each_edition_with_its_language_and_relations(live_server):
    english, japanese = work(4001)
    lone, _ = work(4002, translated=False)
    draft = CommentaryFactory(
        number=4002, language="ja", original=lone, title="下書きの訳", status="draft"
    )
    Commentary.objects.filter(number=210).delete()  # only this test's pieces
    harvester = Sickle(f"{live_server.url}/oai/")
    records = {
        r.header.identifier: r.metadata
        for r in harvester.ListRecords(metadataPrefix="oai_dc", ignore_deleted=True)
    }
    site = live_server.url
    en_id, ja_id = "oai:localhost:ajiss-commentary/4001", "oai:localhost:ajiss-commentary/4001/ja"
    assert set(records) == {en_id, ja_id, "oai:localhost:ajiss-commentary/4002"}
    assert records[en_id]["language"] == ["en"]
    assert records[ja_id]["language"] == ["ja"]
    assert records[ja_id]["title"] == [japanese.title]
    assert records[ja_id]["creator"] == ["田辺愛子"]  # the name the edition prints
    assert records[en_id]["creator"] == ["Tanabe, Aiko"]
    ja_address = f"{site}{japanese.get_absolute_url()}"
    assert ja_address.startswith(f"{site}/ja/commentaries/4001/")
    assert records[ja_id]["relation"] == [
        "AJISS-Commentary No.4001",
        f"{site}{english.get_absolute_url()}",
        "https://doi.org/10.99999/ajiss.4001",
    ]
    assert records[en_id]["relation"] == [
        "AJISS-Commentary No.4001",
        ja_address,
        "https://doi.org/10.99999/ajiss.4001.ja",
    ]
    # A draft edition is no record, and no record names it.
    lone_record = records["oai:localhost:ajiss-commentary/4002"]
    assert lone_record["relation"] == ["AJISS-Commentary No.4002"]
    assert draft.title not in str(records)

    one = harvester.GetRecord(identifier=ja_id, metadataPrefix="oai_dc")
    assert one.metadata["title"] == [japanese.title]
    assert one.metadata["identifier"][0] == ja_address


@pytest.mark.django_db
@pytest.mark.parametrize(
    "identifier",
    [
        "oai:testserver:ajiss-commentary/4001/en",  # the original has no language suffix
        "oai:testserver:ajiss-commentary/4001/fr",
        "oai:testserver:ajiss-commentary/4002/ja",  # a draft edition
        "oai:testserver:ajiss-commentary/4001/ja/ja",
    ],
)
def test_identifiers_of_no_public_edition_are_unknown(client, identifier):
    english, _ = work(4001)
    CommentaryFactory(number=4002, language="ja", original=english, status="draft")
    root = etree.fromstring(
        client.get(
            "/oai/", {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": identifier}
        ).content
    )
    assert [e.get("code") for e in root.findall("o:error", NS)] == ["idDoesNotExist"]


@pytest.mark.django_db
def test_a_list_page_costs_the_same_however_many_editions_it_holds(client, settings):
    """No query per record: the other editions of a page's records come in one query."""
    settings.OAI_PAGE_SIZE = 100

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
        relations = etree.fromstring(response.content).findall(".//dc:relation", NS)
        return len(captured), len(relations)

    for number in range(4101, 4103):
        work(number)
    few, few_relations = queries()
    for number in range(4103, 4113):
        work(number)
    many, many_relations = queries()
    assert many_relations > few_relations
    assert many == few
