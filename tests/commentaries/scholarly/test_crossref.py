import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from lxml import etree

from commentaries.models import Commentary
from commentaries.publishing import events, services
from commentaries.scholarly import crossref
from commentaries.scholarly.models import CrossrefDeposit
from tests.commentaries.scholarly.conftest import multipart
from tests.factories import AuthorFactory, CommentaryFactory

pytestmark = pytest.mark.django_db
NS = {"c": crossref.CR, "j": crossref.JATS}
ORCID = "0000-0002-1825-0097"


@pytest.fixture
def seed_with_doi(seed):
    seed.doi = "10.99999/ajiss.210"
    seed.save()
    author = seed.ordered_authors[0]
    author.orcid = ORCID
    author.save()
    return seed


def parse(xml):
    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))


def test_deposit_xml_carries_what_crossref_requires(seed_with_doi, settings):
    settings.SITE_URL = "https://commentaries.example.org"
    root = parse(crossref.deposit_xml([seed_with_doi], batch_id="batch-1")[1])
    assert root.tag == f"{{{crossref.CR}}}doi_batch"
    assert root.get("version") == "5.3.1"
    assert root.xpath("c:head/c:doi_batch_id/text()", namespaces=NS) == ["batch-1"]
    assert root.xpath("c:head/c:timestamp/text()", namespaces=NS)[0].isdigit()
    assert root.xpath("c:head/c:depositor/c:depositor_name/text()", namespaces=NS)
    assert "@" in root.xpath("string(c:head/c:depositor/c:email_address)", namespaces=NS)
    (item,) = root.xpath("c:body/c:posted_content", namespaces=NS)
    assert item.get("type") == "report"
    # the schema's sequence: each child in its place
    assert [etree.QName(child).localname for child in item] == [
        "group_title", "contributors", "titles", "posted_date", "institution",
        "item_number", "abstract", "doi_data",
    ]  # fmt: skip
    (person,) = item.xpath("c:contributors/c:person_name", namespaces=NS)
    assert person.get("sequence") == "first"
    assert person.get("contributor_role") == "author"
    assert [etree.QName(child).localname for child in person] == [
        "given_name", "surname", "affiliations", "ORCID",
    ]  # fmt: skip
    assert person.xpath("string(c:surname)", namespaces=NS) == "Nishino"
    assert person.xpath(
        "string(c:affiliations/c:institution/c:institution_name)", namespaces=NS
    ) == ("Department of Political Science, Faculty of Law and Politics, Keio University")
    assert person.xpath("string(c:ORCID)", namespaces=NS) == f"https://orcid.org/{ORCID}"
    assert item.xpath("string(c:titles/c:title)", namespaces=NS) == seed_with_doi.title
    assert item.xpath("string(c:posted_date/c:year)", namespaces=NS) == "2015"
    assert item.xpath("string(c:posted_date/c:month)", namespaces=NS) == "05"
    assert item.xpath("string(c:item_number)", namespaces=NS) == "210"
    assert "Japanese Institutes" in item.xpath("string(c:institution)", namespaces=NS)
    assert len(item.xpath("j:abstract/j:p", namespaces=NS)) == 3
    assert item.xpath("string(c:doi_data/c:doi)", namespaces=NS) == "10.99999/ajiss.210"
    assert item.xpath("string(c:doi_data/c:resource)", namespaces=NS) == (
        "https://commentaries.example.org" + seed_with_doi.get_absolute_url()
    )


def test_contributors_in_byline_order():
    first, second = AuthorFactory(family_name="Tanabe"), AuthorFactory(family_name="Yamada")
    piece = CommentaryFactory(authors=[first, second], doi="10.99999/test.1")
    root = parse(crossref.deposit_xml([piece])[1])
    people = root.xpath("//c:person_name", namespaces=NS)
    assert [p.get("sequence") for p in people] == ["first", "additional"]
    assert [p.xpath("string(c:surname)", namespaces=NS) for p in people] == ["Tanabe", "Yamada"]


def test_command_dry_run_prints_only_pieces_with_dois(seed_with_doi, capsys):
    CommentaryFactory(number=5000)  # no DOI
    CommentaryFactory(number=5001, doi="10.99999/draft", status=Commentary.Status.DRAFT)
    call_command("crossref_deposit", "--dry-run")
    root = parse(capsys.readouterr().out.encode())
    assert root.xpath("//c:doi_data/c:doi/text()", namespaces=NS) == ["10.99999/ajiss.210"]
    assert not CrossrefDeposit.objects.exists()


def test_command_since(seed_with_doi, capsys):
    call_command("crossref_deposit", "--dry-run", "--since", "2015-05-16")
    assert "No piece with a DOI" in capsys.readouterr().err
    call_command("crossref_deposit", "--dry-run", "--since", "2015-05-15")
    assert "10.99999/ajiss.210" in capsys.readouterr().out
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("crossref_deposit", "--since", "May 2015")


def test_command_posts_and_records(seed_with_doi, crossref_endpoint, tmp_path):
    call_command("crossref_deposit", "--output", str(tmp_path / "deposit.xml"))
    assert (tmp_path / "deposit.xml").read_bytes().startswith(b"<?xml")
    (deposit,) = CrossrefDeposit.objects.all()
    assert deposit.succeeded and deposit.doi == "10.99999/ajiss.210"
    assert len(crossref_endpoint.posts) == 1


def test_publishing_deposits_as_a_task_once(crossref_endpoint):
    piece = CommentaryFactory(
        status=Commentary.Status.DRAFT, doi="10.99999/test.7", key_points=["P."]
    )
    services.commentary_publish(commentary=piece, by=None)
    events.reconcile(piece.pk)
    events.reconcile(piece.pk)
    (post,) = crossref_endpoint.posts
    fields = multipart(*post)
    assert fields["operation"].get_content() == "doMDUpload"
    assert fields["login_id"].get_content() == "ajiss"
    assert fields["login_passwd"].get_content() == "secret"
    xml = fields["fname"].get_content()
    assert (
        parse(xml if isinstance(xml, bytes) else xml.encode()).xpath(
            "string(//c:doi_data/c:doi)", namespaces=NS
        )
        == "10.99999/test.7"
    )
    (deposit,) = CrossrefDeposit.objects.filter(commentary=piece)
    assert deposit.succeeded and "successfully received" in deposit.answer
    # running the task again (a worker requeued it) deposits nothing more
    crossref.deposit_piece(piece.pk)
    assert len(crossref_endpoint.posts) == 1


def test_a_major_correction_deposits_again(crossref_endpoint):
    piece = CommentaryFactory(status=Commentary.Status.DRAFT, doi="10.99999/test.8")
    services.commentary_publish(commentary=piece, by=None)
    events.reconcile(piece.pk)
    services.commentary_correct(commentary=piece, by=None, note="Corrected a date.")
    events.reconcile(piece.pk)
    assert len(crossref_endpoint.posts) == 2
    assert CrossrefDeposit.objects.filter(commentary=piece, status_code=200).count() == 2


def test_a_refused_deposit_is_recorded_and_fails_the_task(crossref_endpoint):
    piece = CommentaryFactory(doi="10.99999/test.9")
    crossref_endpoint.statuses = [403]
    with pytest.raises(RuntimeError, match="HTTP 403"):
        crossref.deposit_piece(piece.pk)
    assert CrossrefDeposit.objects.get(commentary=piece).status_code == 403
    assert crossref.deposit_piece(piece.pk).succeeded  # a retry goes through


def test_doi_pattern_proposes_a_doi_when_first_published(settings):
    settings.DOI_PATTERN = "10.99999/ajiss.{number}"
    piece = CommentaryFactory(number=777, status=Commentary.Status.DRAFT)
    services.commentary_publish(commentary=piece, by=None)
    events.reconcile(piece.pk)
    piece.refresh_from_db()
    assert piece.doi == "10.99999/ajiss.777"
    given = CommentaryFactory(number=778, status=Commentary.Status.DRAFT, doi="10.1234/own")
    services.commentary_publish(commentary=given, by=None)
    events.reconcile(given.pk)
    given.refresh_from_db()
    assert given.doi == "10.1234/own"


def test_command_keeps_the_deposit_in_the_sites_storage(seed_with_doi, crossref_endpoint, capsys):
    call_command("crossref_deposit")
    (deposit,) = CrossrefDeposit.objects.all()
    name = f"crossref/{deposit.batch_id}.xml"
    assert f"as {name} in the site's storage" in capsys.readouterr().out
    with default_storage.open(name) as file:
        assert file.read().startswith(b"<?xml")
