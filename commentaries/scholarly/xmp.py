"""The PDF edition's XMP metadata: what archives, repositories and assistive technology read
from the file itself.

WeasyPrint writes the document information dictionary (title, authors, subject, keywords,
dates) and an XMP packet with the same values and its PDF/A identification. This packet
replaces it, keeping those values, and adds what WeasyPrint does not write: the PDF/UA-1
identification (`pdfuaid:part`), the language, the publication date, the publisher, the DOI
(`dc:identifier`, `prism:doi`) and the canonical address (`prism:url`), and the document and
rendition ids. PDF/A allows properties outside its predefined schemas only when the packet
describes them (an extension schema): those of `pdfuaid` and `prism` are described here.
"""

import uuid

import pydyf
from lxml import etree

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "prism": "http://prismstandard.org/namespaces/basic/3.0/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# (schema, namespace, prefix, ((property, value type, category, description), ...)): the
# properties this packet uses beyond PDF/A's predefined schemas.
EXTENSIONS = [
    (
        "PDF/UA Universal Accessibility Schema",
        NS["pdfuaid"],
        "pdfuaid",
        [("part", "Integer", "internal", "Which part of ISO 14289 the file conforms to")],
    ),
    (
        "PRISM Basic Metadata",
        NS["prism"],
        "prism",
        [
            ("doi", "Text", "external", "The Digital Object Identifier of the work"),
            ("url", "URL", "external", "The web address of the work"),
        ],
    ),
]


def _q(name):
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _add(parent, name, text=None, **attributes):
    attributes = {_q(key.replace("_", ":")): value for key, value in attributes.items()}
    element = etree.SubElement(parent, _q(name), attributes)
    if text is not None:
        element.text = str(text)
    return element


def _container(parent, name, kind, values, lang=None):
    """dc:creator as an rdf:Seq, dc:subject as an rdf:Bag, dc:title as an rdf:Alt..."""
    holder = _add(_add(parent, name), f"rdf:{kind}")
    for value in values:
        item = _add(holder, "rdf:li", value)
        if lang:
            item.set(XML_LANG, lang)
    return holder


def _extension_schemas(description):
    bag = _add(_add(description, "pdfaExtension:schemas"), "rdf:Bag")
    for schema, namespace, prefix, properties in EXTENSIONS:
        item = _add(bag, "rdf:li", rdf_parseType="Resource")
        _add(item, "pdfaSchema:schema", schema)
        _add(item, "pdfaSchema:namespaceURI", namespace)
        _add(item, "pdfaSchema:prefix", prefix)
        seq = _add(_add(item, "pdfaSchema:property"), "rdf:Seq")
        for name, value_type, category, text in properties:
            entry = _add(seq, "rdf:li", rdf_parseType="Resource")
            _add(entry, "pdfaProperty:name", name)
            _add(entry, "pdfaProperty:valueType", value_type)
            _add(entry, "pdfaProperty:category", category)
            _add(entry, "pdfaProperty:description", text)


def packet(metadata, *, language, published, publisher, subjects, doi, url, rendered_at, edition):
    """The XMP packet (bytes). `metadata` is WeasyPrint's DocumentMetadata: the title, authors,
    description, keywords and generator it also writes to the information dictionary."""
    root = etree.Element(_q("x:xmpmeta"), nsmap={"x": NS["x"]})
    rdf = etree.SubElement(root, _q("rdf:RDF"), nsmap={"rdf": NS["rdf"]})
    others = {prefix: uri for prefix, uri in NS.items() if prefix not in ("x", "rdf")}
    description = etree.SubElement(rdf, _q("rdf:Description"), {_q("rdf:about"): ""}, nsmap=others)
    # Conformance: PDF/A-2 level A (WeasyPrint's pdf/a-2a variant) and PDF/UA-1.
    _add(description, "pdfaid:part", 2)
    _add(description, "pdfaid:conformance", "A")
    _add(description, "pdfuaid:part", 1)
    # Dublin Core: what the work is.
    _container(description, "dc:title", "Alt", [metadata.title], lang="x-default")
    _container(description, "dc:creator", "Seq", metadata.authors)
    if metadata.description:
        _container(description, "dc:description", "Alt", [metadata.description], lang="x-default")
    if subjects:
        _container(description, "dc:subject", "Bag", subjects)
    _container(description, "dc:language", "Bag", [language])
    _container(description, "dc:date", "Seq", [published.isoformat()])
    _container(description, "dc:publisher", "Bag", [publisher])
    _add(description, "dc:format", "application/pdf")
    _add(description, "dc:identifier", f"doi:{doi}" if doi else url)
    if doi:
        _add(description, "prism:doi", doi)
    _add(description, "prism:url", url)
    # The file: when this rendition was made, by what; the same as the information dictionary.
    made = rendered_at.isoformat()
    _add(description, "xmp:CreateDate", made)
    _add(description, "xmp:ModifyDate", made)
    _add(description, "xmp:MetadataDate", made)
    if metadata.generator:
        _add(description, "xmp:CreatorTool", metadata.generator)
    _add(description, "pdf:Producer", _producer())
    if metadata.keywords:
        _add(description, "pdf:Keywords", ", ".join(metadata.keywords))
    _add(description, "xmpMM:DocumentID", f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}")
    _add(
        description,
        "xmpMM:InstanceID",
        f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{url}#{edition}')}",
    )
    _extension_schemas(description)
    body = etree.tostring(root, encoding="utf-8")
    return (
        b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        + body
        + b'\n<?xpacket end="r"?>'
    )


def _producer():
    from weasyprint import __version__

    return f"WeasyPrint {__version__}"


def finisher(**values):
    """A WeasyPrint finisher that puts this packet in place of WeasyPrint's, uncompressed."""

    def finish(document, pdf):
        data = packet(document.metadata, **values)
        reference = pdf.catalog.get("Metadata")
        if reference is None:
            stream = pydyf.Stream(extra={"Type": "/Metadata", "Subtype": "/XML"})
            pdf.add_object(stream)
            pdf.catalog["Metadata"] = stream.reference
        else:
            stream = pdf.objects[int(reference.split()[0])]
        stream.stream, stream.compress = [data], False

    return finish
