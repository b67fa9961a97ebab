"""Crossref deposits: the metadata of pieces with DOIs in Crossref's deposit schema (5.3.1), as
posted_content of type "report", and the multipart POST its deposit endpoint takes.

`manage.py crossref_deposit` writes the file for any set of pieces; with CROSSREF_DEPOSIT_URL,
CROSSREF_USERNAME and CROSSREF_PASSWORD set, the publication events deposit each new,
corrected or withdrawn piece as a task (tasks.deposit_at_crossref), recorded as a
CrossrefDeposit row.

A withdrawn piece's DOI must keep resolving to a page that answers (Crossref requires a
withdrawal notice there, and takes a 4xx for a broken link), so its deposit points the DOI at
the withdrawal notice (views.withdrawal_notice) rather than at its own address, which answers
410. Schema 5.3.1 gives posted_content no Crossmark block (its <updates> with type
"withdrawal" belong to journal articles, books and the like) and no publication status, so the
withdrawal is recorded in what posted_content does take: a relation (rel:program) to the
notice, "isDocumentedBy", whose description gives the date and the reason.

Each edition of a piece is deposited with its own DOI and its language (posted_content's
language attribute). Editions are one work in Crossref's relations: a translation
isTranslationOf its original's DOI, an original hasTranslation each translation's DOI (those
deposited, that is public or once public), and a translator is a contributor of the
translation (contributor_role "translator"). The relations are part of what is deposited
again (edition()), so when an edition is published or gets its DOI, the other editions'
deposits are refreshed, once each (receivers.py)."""

import hashlib
import logging
import re
import uuid
import xml.etree.ElementTree as ET

import requests
from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone, translation

from commentaries.addresses import absolute
from commentaries.models import Commentary
from commentaries.scholarly import pdf
from commentaries.scholarly.models import CrossrefDeposit

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "5.3.1"
CR = f"http://www.crossref.org/schema/{SCHEMA_VERSION}"
JATS = "http://www.ncbi.nlm.nih.gov/JATS1"
REL = "http://www.crossref.org/relations.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{CR} https://www.crossref.org/schemas/crossref{SCHEMA_VERSION}.xsd"
TIMEOUT = 60
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")

ET.register_namespace("", CR)
ET.register_namespace("jats", JATS)
ET.register_namespace("rel", REL)
ET.register_namespace("xsi", XSI)


def _el(parent, tag, text=None, ns=CR, **attrs):
    element = ET.SubElement(parent, f"{{{ns}}}{tag}", attrs)
    if text is not None:
        element.text = str(text)
    return element


def is_withdrawn(commentary):
    return commentary.status == Commentary.Status.WITHDRAWN


def notice_path(commentary):
    """Where a withdrawn piece's DOI resolves: its withdrawal notice, in its language."""
    with translation.override(commentary.language):
        if commentary.series.is_primary:
            return reverse("scholarly:withdrawal-notice", kwargs={"number": commentary.number})
        return reverse(
            "scholarly:series-withdrawal-notice",
            kwargs={"series": commentary.series.slug, "number": commentary.number},
        )


def landing_page(commentary):
    """The address a DOI resolves to: the piece, or, once withdrawn, its withdrawal notice."""
    if is_withdrawn(commentary):
        return absolute(notice_path(commentary))
    return absolute(commentary.get_absolute_url())


def related_editions(commentary):
    """(relationship type, DOI) of the piece's relations to its other deposited editions."""
    if commentary.original_id:
        original = commentary.original
        return [("isTranslationOf", original.doi)] if original.doi else []
    return [("hasTranslation", t.doi) for t in commentary.deposited_translations]


def edition(commentary):
    """What is deposited again: the PDF's edition (a release, a major correction, the DOI),
    the withdrawal, which changes where the DOI resolves, and the relations to other
    editions' DOIs (a translation deposited since, a DOI given to one)."""
    key = pdf.edition(commentary) + ("-withdrawn" if is_withdrawn(commentary) else "")
    if relations := related_editions(commentary):
        key += "-" + hashlib.sha256(repr(relations).encode()).hexdigest()[:8]
    return key


def _relations(item, commentary):
    """rel:program: the relations to the other editions, and a withdrawal's notice (schema
    5.3.1 takes one program per item, holding a related_item per relation)."""
    relations = related_editions(commentary)
    if not (relations or is_withdrawn(commentary)):
        return
    program = _el(item, "program", ns=REL, name="relations")
    for relationship, doi in relations:
        _el(
            _el(program, "related_item", ns=REL),
            "intra_work_relation",
            doi,
            ns=REL,
            **{"relationship-type": relationship, "identifier-type": "doi"},
        )
    if is_withdrawn(commentary):
        _withdrawal(program, commentary)


def _withdrawal(program, commentary):
    """The withdrawal, as posted_content in schema 5.3.1 can record it (see the docstring)."""
    related = _el(program, "related_item", ns=REL)
    when = timezone.localtime(commentary.withdrawn_at or timezone.now())
    reason = " ".join(commentary.withdrawal_reason.split())
    _el(
        related,
        "description",
        f"Withdrawn on {when:%Y-%m-%d}" + (f": {reason}" if reason else "."),
        ns=REL,
    )
    _el(
        related,
        "inter_work_relation",
        landing_page(commentary),
        ns=REL,
        **{"relationship-type": "isDocumentedBy", "identifier-type": "uri"},
    )


def translator_name(name):
    """(given name, surname) of a translator's name as printed: the last word is the surname
    (Hanako Yamada), the first where the name is written in Japanese (山田 花子), and a name
    written without a space (山田花子) is all surname, the part Crossref requires."""
    words = name.split()
    if len(words) < 2:
        return "", name.strip()
    if JAPANESE.search(name):
        return " ".join(words[1:]), words[0]
    return " ".join(words[:-1]), words[-1]


def _posted_content(body, commentary):
    item = _el(body, "posted_content", type="report", language=commentary.language)
    _el(item, "group_title", commentary.series.name)
    contributors = _el(item, "contributors")
    for i, authorship in enumerate(commentary.ordered_authorships):
        author = authorship.author
        person = _el(
            contributors,
            "person_name",
            sequence="first" if i == 0 else "additional",
            contributor_role="author",
        )
        _el(person, "given_name", author.given_name)
        _el(person, "surname", author.family_name)
        if affiliation := authorship.affiliation or author.affiliation:
            institution = _el(_el(person, "affiliations"), "institution")
            _el(institution, "institution_name", affiliation)
        if author.orcid:
            _el(person, "ORCID", f"https://orcid.org/{author.orcid}", authenticated="false")
    if commentary.translator.strip():
        given, surname = translator_name(commentary.translator)
        person = _el(
            contributors,
            "person_name",
            sequence="first" if not len(contributors) else "additional",
            contributor_role="translator",
        )
        if given:
            _el(person, "given_name", given)
        _el(person, "surname", surname)
    _el(_el(item, "titles"), "title", commentary.title)
    published = timezone.localtime(commentary.published_at)
    posted = _el(item, "posted_date", media_type="online")
    _el(posted, "month", f"{published:%m}")
    _el(posted, "day", f"{published:%d}")
    _el(posted, "year", published.year)
    institution = _el(item, "institution")
    _el(institution, "institution_name", commentary.series.publisher)
    _el(item, "item_number", commentary.number, item_number_type="report-number")
    abstract = _el(item, "abstract", ns=JATS)
    for point in commentary.ordered_key_points:
        _el(abstract, "p", point.text, ns=JATS)
    _relations(item, commentary)
    doi_data = _el(item, "doi_data")
    _el(doi_data, "doi", commentary.doi)
    _el(doi_data, "resource", landing_page(commentary))


def deposit_xml(commentaries, *, batch_id=None):
    """(batch id, the doi_batch document as UTF-8 bytes) for pieces that have DOIs."""
    batch_id = batch_id or uuid.uuid4().hex
    root = ET.Element(
        f"{{{CR}}}doi_batch",
        {"version": SCHEMA_VERSION, f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION},
    )
    head = _el(root, "head")
    _el(head, "doi_batch_id", batch_id)
    # Crossref takes the newest timestamp per DOI: a number that grows with every deposit.
    _el(head, "timestamp", timezone.now().strftime("%Y%m%d%H%M%S%f")[:17])
    depositor = _el(head, "depositor")
    _el(depositor, "depositor_name", settings.CROSSREF_DEPOSITOR_NAME)
    _el(depositor, "email_address", settings.CROSSREF_DEPOSITOR_EMAIL)
    body_items = list(commentaries)
    prefetch_related_objects(body_items, *other_editions())  # none if depositable() read them
    _el(head, "registrant", body_items[0].series.publisher if body_items else "")
    body = _el(root, "body")
    for commentary in body_items:
        _posted_content(body, commentary)
    ET.indent(root)
    return batch_id, ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def deposited():
    """Pieces with DOIs that are or have been public (a withdrawn piece's DOI still resolves)."""
    return (
        Commentary.objects.exclude(doi=None)
        .filter(first_published_at__lte=timezone.now())
        .exclude(status__in=[Commentary.Status.DRAFT, Commentary.Status.IN_REVIEW])
    )


def other_editions():
    """What related_editions() reads, as lookups to prefetch: a translation's original, an
    original's deposited translations (their DOIs alone)."""
    translations = deposited().only("pk", "original_id", "doi").order_by("language", "pk")
    return [
        Prefetch("original", queryset=Commentary.objects.only("pk", "doi")),
        Prefetch("translations", queryset=translations, to_attr="deposited_translations"),
    ]


def depositable():
    """deposited(), with what a deposit shows: the listing data, and the other editions'
    DOIs."""
    return (
        deposited()
        .with_listing_data()
        .prefetch_related(*other_editions())
        .order_by("published_at", "pk")
    )


def post(batch_id, xml):
    """POST a deposit file the way Crossref's deposit endpoint takes it (multipart)."""
    return requests.post(
        settings.CROSSREF_DEPOSIT_URL,
        data={
            "operation": "doMDUpload",
            "login_id": settings.CROSSREF_USERNAME,
            "login_passwd": settings.CROSSREF_PASSWORD,
        },
        files={"fname": (f"{batch_id}.xml", xml, "application/xml")},
        timeout=TIMEOUT,
    )


def deposit_piece(commentary_pk):
    """Deposit one piece's current edition unless a successful deposit of it is recorded.

    A failed answer is recorded and raised, so the task shows as failed and can be run again."""
    commentary = depositable().prefetch_related("corrections").filter(pk=commentary_pk).first()
    if commentary is None or not settings.CROSSREF_DEPOSIT_URL:
        return None
    current = edition(commentary)
    done = CrossrefDeposit.objects.filter(
        commentary=commentary, edition=current, status_code__gte=200, status_code__lt=300
    ).first()
    if done:
        return done
    batch_id, xml = deposit_xml([commentary])
    try:
        response = post(batch_id, xml)
    except requests.RequestException as e:
        CrossrefDeposit.objects.create(
            commentary=commentary, edition=current, doi=commentary.doi, batch_id=batch_id,
            answer=f"no answer: {e}"[:2000],
        )  # fmt: skip
        raise
    deposit = CrossrefDeposit.objects.create(
        commentary=commentary,
        edition=current,
        doi=commentary.doi,
        batch_id=batch_id,
        status_code=response.status_code,
        answer=response.text[:10000],
    )
    if not deposit.succeeded:
        logger.warning("Crossref refused %s: HTTP %s", commentary.doi, response.status_code)
        raise RuntimeError(f"Crossref answered HTTP {response.status_code} for {commentary.doi}")
    return deposit
