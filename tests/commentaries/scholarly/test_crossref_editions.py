"""Crossref with editions: each edition deposited with its own DOI and language, a
translation isTranslationOf its original and the original hasTranslation it, the translator a
contributor; publishing an edition, or giving it a DOI, deposits the other edition again, once."""

import pytest
from django.core.management import call_command
from lxml import etree

from commentaries.models import Commentary
from commentaries.publishing import events, services
from commentaries.scholarly import crossref
from commentaries.scholarly.models import CrossrefDeposit
from tests.commentaries.scholarly.conftest import multipart
from tests.factories import AuthorFactory, CommentaryFactory

pytestmark = pytest.mark.django_db
NS = {"c": crossref.CR, "r": crossref.REL}
EN_DOI, JA_DOI = "10.99999/ajiss.4201", "10.99999/ajiss.4201.ja"


def parse(xml):
    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))


def editions(*, ja_status=Commentary.Status.PUBLISHED, ja_doi=JA_DOI):
    english = CommentaryFactory(
        number=4201, doi=EN_DOI, authors=[AuthorFactory()], key_points=["Ports share data."]
    )
    japanese = CommentaryFactory(
        number=4201,
        language="ja",
        original=english,
        authors=list(english.authors.all()),
        doi=ja_doi,
        translator="Hanako Yamada",
        title="港湾の協力",
        key_points=["港湾は情報を共有する。"],
        status=ja_status,
    )
    return english, japanese


def items(xml):
    """{DOI: its posted_content} of a deposit."""
    return {
        item.xpath("string(c:doi_data/c:doi)", namespaces=NS): item
        for item in parse(xml).xpath("//c:posted_content", namespaces=NS)
    }


def relations(item):
    return [
        (r.get("relationship-type"), r.get("identifier-type"), r.text)
        for r in item.xpath("r:program/r:related_item/r:intra_work_relation", namespaces=NS)
    ]


def test_each_edition_with_its_language_relation_and_translator(settings):
    settings.SITE_URL = "https://commentaries.example.org"
    english, japanese = editions()
    deposit = items(crossref.deposit_xml(crossref.depositable())[1])
    en, ja = deposit[EN_DOI], deposit[JA_DOI]
    assert (en.get("language"), ja.get("language")) == ("en", "ja")
    assert relations(ja) == [("isTranslationOf", "doi", EN_DOI)]
    assert relations(en) == [("hasTranslation", "doi", JA_DOI)]
    assert ja.xpath("string(c:doi_data/c:resource)", namespaces=NS) == (
        "https://commentaries.example.org/ja/commentaries/4201/" + japanese.slug + "/"
    )
    # The schema's sequence: the relations after the abstract, before doi_data.
    assert [etree.QName(child).localname for child in ja][-3:] == [
        "abstract", "program", "doi_data",
    ]  # fmt: skip
    (translator,) = ja.xpath(
        "c:contributors/c:person_name[@contributor_role='translator']", namespaces=NS
    )
    assert translator.get("sequence") == "additional"
    assert translator.xpath("string(c:given_name)", namespaces=NS) == "Hanako"
    assert translator.xpath("string(c:surname)", namespaces=NS) == "Yamada"
    assert not en.xpath(".//c:person_name[@contributor_role='translator']", namespaces=NS)


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Hanako Yamada", ("Hanako", "Yamada")),
        ("Mary Ann de Vries", ("Mary Ann de", "Vries")),
        ("山田 花子", ("花子", "山田")),
        ("山田花子", ("", "山田花子")),
        (" Yamada ", ("", "Yamada")),
    ],
)
def test_a_translator_s_name_as_crossref_takes_it(name, parts):
    assert crossref.translator_name(name) == parts


def test_a_draft_translation_is_named_by_no_relation():
    english, _ = editions(ja_status=Commentary.Status.DRAFT)
    (en,) = items(crossref.deposit_xml(crossref.depositable())[1]).values()
    assert relations(en) == []
    assert not en.xpath("r:program", namespaces=NS)


def test_a_withdrawn_original_keeps_one_program_with_both_relations():
    english, _ = editions()
    services.commentary_withdraw(commentary=english, by=None, reason="Superseded.")
    en = items(crossref.deposit_xml(crossref.depositable())[1])[EN_DOI]
    (program,) = en.xpath("r:program", namespaces=NS)
    kinds = [r.get("relationship-type") for r in program.xpath(".//*[@relationship-type]")]
    assert kinds == ["hasTranslation", "isDocumentedBy"]


def test_the_dry_run_prints_the_relations(capsys):
    editions()
    call_command("crossref_deposit", "--dry-run")
    deposit = items(capsys.readouterr().out.encode())
    assert relations(deposit[JA_DOI]) == [("isTranslationOf", "doi", EN_DOI)]


def posted_dois(endpoint):
    """The DOIs each POST deposited, in order."""
    files = [multipart(*post)["fname"].get_content() for post in endpoint.posts]
    return [sorted(items(f if isinstance(f, bytes) else f.encode())) for f in files]


def test_publishing_a_translation_deposits_the_original_again_once(crossref_endpoint):
    english, japanese = editions(ja_status=Commentary.Status.DRAFT)
    events.reconcile(english.pk)
    assert posted_dois(crossref_endpoint) == [[EN_DOI]]

    services.commentary_publish(commentary=japanese, by=None)
    events.reconcile(japanese.pk)
    events.reconcile(japanese.pk)
    events.reconcile_all()
    assert sorted(posted_dois(crossref_endpoint)[1:]) == [[EN_DOI], [JA_DOI]]
    deposit = CrossrefDeposit.objects.filter(commentary=english).latest("deposited_at")
    assert deposit.edition == crossref.edition(crossref.depositable().get(pk=english.pk))
    crossref.deposit_piece(english.pk)  # a task run again
    assert len(crossref_endpoint.posts) == 3


def test_a_doi_given_later_deposits_both_editions_once(crossref_endpoint):
    english, japanese = editions(ja_doi=None)
    events.reconcile(english.pk)
    events.reconcile(japanese.pk)
    assert posted_dois(crossref_endpoint) == [[EN_DOI]]

    japanese = Commentary.objects.get(pk=japanese.pk)  # as the admin or a script loads it
    japanese.doi = JA_DOI
    japanese.save()
    assert sorted(posted_dois(crossref_endpoint)[1:]) == [[EN_DOI], [JA_DOI]]
    japanese.title = "港湾の協力（改題）"
    japanese.save()  # a save that leaves the DOI deposits nothing
    assert len(crossref_endpoint.posts) == 3


def test_doi_pattern_gives_a_translation_its_own_doi(settings):
    settings.DOI_PATTERN = "10.99999/ajiss.{number}"
    english, japanese = editions(ja_status=Commentary.Status.DRAFT, ja_doi=None)
    english.doi = None
    english.save()
    events.reconcile(english.pk)
    services.commentary_publish(commentary=japanese, by=None)
    events.reconcile(japanese.pk)
    english.refresh_from_db()
    japanese.refresh_from_db()
    assert (english.doi, japanese.doi) == ("10.99999/ajiss.4201", "10.99999/ajiss.4201.ja")
