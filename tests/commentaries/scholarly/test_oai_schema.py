"""Every OAI-PMH answer validates against the protocol's own schema (OAI-PMH.xsd, with oai_dc.xsd
for the records' metadata: tests/data/oai-pmh/, as published), with nothing configured."""

from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree

from commentaries.publishing import events, services
from commentaries.scholarly import oai
from tests.factories import CommentaryFactory

SCHEMAS = Path(__file__).resolve().parents[2] / "data" / "oai-pmh"


class LocalSchemas(etree.Resolver):
    """The XML namespace's schema from tests/data rather than w3.org: no network needed."""

    def resolve(self, url, pubid, context):
        if url.endswith("/xml.xsd"):
            return self.resolve_filename(str(SCHEMAS / "xml.xsd"), context)
        return None


@pytest.fixture(scope="module")
def schema():
    parser = etree.XMLParser()
    parser.resolvers.add(LocalSchemas())
    both = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:import namespace="{oai.OAI}" schemaLocation="{SCHEMAS / "OAI-PMH.xsd"}"/>
      <xs:import namespace="{oai.OAI_DC}" schemaLocation="{SCHEMAS / "oai_dc.xsd"}"/>
    </xs:schema>"""
    return etree.XMLSchema(etree.fromstring(both.encode(), parser))


def valid(schema, client, **params):
    document = etree.fromstring(client.get("/oai/", params).content)
    assert schema.validate(document), schema.error_log.filter_from_errors()
    return document


@pytest.mark.django_db
def test_every_answer_is_valid_with_the_default_settings(client, schema, seed, settings):
    """No OAI_ADMIN_EMAIL, no SITE_URL: Identify still names an address of the schema's form."""
    assert not settings.OAI_ADMIN_EMAIL and not settings.SITE_URL
    seed.tags.add("Maritime order", "日韓関係")
    gone = CommentaryFactory(number=3090, published_at=timezone.now() - timezone.timedelta(days=1))
    gone.tags.add("Maritime order")
    events.reconcile(gone.pk)
    services.commentary_withdraw(commentary=gone, by=None, reason="Superseded.")
    events.reconcile(gone.pk)

    identify = valid(schema, client, verb="Identify")
    admin = identify.findtext(f".//{{{oai.OAI}}}adminEmail")
    assert admin == "webmaster@localhost.localdomain"  # testserver: no domain to take
    valid(schema, client, verb="ListMetadataFormats")
    valid(schema, client, verb="ListSets")
    valid(schema, client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    records = valid(schema, client, verb="ListRecords", metadataPrefix="oai_dc")
    assert len(records.findall(f".//{{{oai.OAI}}}record")) == 2
    for number in (210, 3090):
        identifier = f"oai:testserver:ajiss-commentary/{number}"
        valid(schema, client, verb="GetRecord", metadataPrefix="oai_dc", identifier=identifier)
    valid(schema, client, verb="ListRecords", metadataPrefix="oai_dc", set="topic:nothing")
    valid(schema, client, verb="Nonsense")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("site_url", "host", "expected"),
    [
        ("https://commentaries.example.org", "testserver", "webmaster@commentaries.example.org"),
        ("", "commentaries.example.org:8000", "webmaster@commentaries.example.org"),
        ("", "127.0.0.1:8000", "webmaster@localhost.localdomain"),
        ("http://localhost:8000", "localhost:8000", "webmaster@localhost.localdomain"),
    ],
)
def test_the_admin_address_comes_from_the_site_host(client, settings, site_url, host, expected):
    settings.SITE_URL, settings.ALLOWED_HOSTS = site_url, ["*"]
    document = etree.fromstring(client.get("/oai/", {"verb": "Identify"}, HTTP_HOST=host).content)
    assert document.findtext(f".//{{{oai.OAI}}}adminEmail") == expected
    settings.OAI_ADMIN_EMAIL = "editors@example.org"
    document = etree.fromstring(client.get("/oai/", {"verb": "Identify"}, HTTP_HOST=host).content)
    assert document.findtext(f".//{{{oai.OAI}}}adminEmail") == "editors@example.org"
