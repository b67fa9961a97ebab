"""What search engines, link previews, Google Scholar and reference managers read from a
commentary's page: Open Graph and Twitter cards, Highwire citation_* tags (as a numbered
technical report), Dublin Core DC.* tags, and schema.org JSON-LD (a Report).

Each edition describes itself in its own language (inLanguage, citation_language, og:locale)
and names its other public editions: a translation its original (translationOfWork), an
original its translations (workTranslation), each by its address and DOI; `editions` are the
piece's other public editions, as the page's view fetched them.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import override, to_locale

from commentaries.models import topic_name

DESCRIPTION_WORDS = 60
# What reference managers store as the report's type (Zotero's "Report Type", RIS M3); the
# series is stored apart (citation_series_title, RIS T2) and the number too.
REPORT_TYPE = "Commentary"
# Open Graph's locales name a territory (language_TERRITORY); Facebook ignores one without.
OG_LOCALES = {"en": "en_US", "ja": "ja_JP"}


def description(commentary):
    """The key points, or the summary when there are none, cut to a search-result snippet."""
    text = " ".join(point.text for point in commentary.ordered_key_points) or commentary.summary
    return Truncator(" ".join(text.split())).words(DESCRIPTION_WORDS)


def abstract(commentary):
    """The whole abstract reference managers keep: the summary, then every key point, in full."""
    parts = [commentary.summary, *(point.text for point in commentary.ordered_key_points)]
    return " ".join(" ".join(part.split()) for part in parts if part and part.strip())


def pdf_path(commentary):
    """The PDF edition's address (served by the scholarly record, named by its URL name), under
    the edition's language, whatever language is active."""
    with override(commentary.language):
        if commentary.series.is_primary:
            return reverse("scholarly:pdf", kwargs={"number": commentary.number})
        return reverse(
            "scholarly:series-pdf",
            kwargs={"series": commentary.series.slug, "number": commentary.number},
        )


def citation_url(commentary, extension):
    """The piece's citation file: extension "bib" (BibTeX) or "ris", under the edition's
    language."""
    kwargs = {"number": commentary.number, "extension": extension}
    with override(commentary.language):
        if commentary.series.is_primary:
            return reverse("commentaries:cite", kwargs=kwargs)
        return reverse(
            "commentaries:series-cite", kwargs={"series": commentary.series.slug, **kwargs}
        )


def unapi_id(commentary):
    """The piece's identifier at /unapi: its series and number, as in OAI-PMH."""
    return f"{commentary.series.slug}/{commentary.number}"


def doi_url(commentary):
    return f"https://doi.org/{commentary.doi}" if commentary.doi else ""


def og_locale(language):
    return OG_LOCALES.get(language) or to_locale(language)


def topic_names(commentary):
    """The piece's topics as named in its language."""
    return [topic_name(tag, commentary.language) for tag in commentary.ordered_topics]


def image_tags(image, absolute):
    """Open Graph's and Twitter's picture: (path, width, height, alt) from media.sharing."""
    if image is None:
        return [("name", "twitter:card", "summary")]
    path, width, height, alt = image
    return [
        ("property", "og:image", absolute(path)),
        ("property", "og:image:width", str(width)),
        ("property", "og:image:height", str(height)),
        ("property", "og:image:alt", alt),
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:image", absolute(path)),
        ("name", "twitter:image:alt", alt),
    ]


def meta_tags(commentary, *, url, absolute, image=None, editions=()):
    """(attribute, name, content) for each <meta>; `absolute` makes a path an address;
    `image` the picture a shared link shows (none for a piece not public); `editions` the
    piece's other public editions."""
    summary = description(commentary)
    whole = abstract(commentary)
    title = commentary.title
    published = timezone.localtime(commentary.published_at)
    tags = topic_names(commentary)
    authors = commentary.ordered_authors
    public = commentary.is_published()
    return [
        ("property", "og:type", "article"),
        ("property", "og:title", title),
        ("property", "og:description", summary),
        ("property", "og:url", url),
        ("property", "og:site_name", commentary.series.name),
        ("property", "og:locale", og_locale(commentary.language)),
        *(("property", "og:locale:alternate", og_locale(e.language)) for e in editions),
        ("property", "article:published_time", published.isoformat()),
        (
            "property",
            "article:modified_time",
            timezone.localtime(commentary.last_modified).isoformat(),
        ),
        *(("property", "article:author", absolute(a.get_absolute_url())) for a in authors),
        *(("property", "article:tag", tag) for tag in tags),
        *image_tags(image, absolute),
        ("name", "twitter:title", title),
        ("name", "twitter:description", summary),
        # Google Scholar's inclusion guidelines read these (Highwire Press tags)
        ("name", "citation_title", title),
        *(("name", "citation_author", f"{a.family_name}, {a.given_name}") for a in authors),
        ("name", "citation_publication_date", f"{published:%Y/%m/%d}"),
        ("name", "citation_technical_report_institution", commentary.series.publisher),
        ("name", "citation_technical_report_number", str(commentary.number)),
        ("name", "citation_series_title", commentary.series.name),
        *((("name", "citation_abstract", whole),) if whole else ()),
        ("name", "citation_abstract_html_url", url),
        ("name", "citation_fulltext_html_url", url),
        ("name", "citation_language", commentary.language),
        *(("name", "citation_keywords", tag) for tag in tags),
        *((("name", "citation_doi", commentary.doi),) if commentary.doi else ()),
        # a preview's piece has no PDF yet
        *((("name", "citation_pdf_url", absolute(pdf_path(commentary))),) if public else ()),
        # Dublin Core, as Zotero's and repositories' embedded-metadata readers take it
        ("name", "DC.title", title),
        *(("name", "DC.creator", f"{a.family_name}, {a.given_name}") for a in authors),
        ("name", "DC.date", f"{published:%Y-%m-%d}"),
        ("name", "DC.publisher", commentary.series.publisher),
        # Zotero takes DC.type as the report's type (its RDF reader); "Text" would be kept
        ("name", "DC.type", REPORT_TYPE),
        ("name", "DC.format", "text/html"),
        # Only a DOI: Zotero reads any "10/..." in an identifier as a DOI, and No.210's
        # address holds one (".../210/political-...": "10/political-...").
        *((("name", "DC.identifier", doi_url(commentary)),) if commentary.doi else ()),
        ("name", "DC.relation.ispartof", commentary.series.name),
        ("name", "DC.language", commentary.language),
        ("name", "DC.description", whole or summary),
        *(("name", "DC.subject", tag) for tag in tags),
    ]


def json_ld(commentary, *, url, absolute, editions=()):
    """schema.org Report (a numbered one, in its series) that is also an OpinionNewsArticle,
    with its public original, or its public translations, from `editions`."""
    series = commentary.series
    publisher = {"@type": "Organization", "name": series.publisher}
    if series.publisher_url:
        publisher["url"] = series.publisher_url
    item = {
        "@context": "https://schema.org",
        "@type": ["Report", "OpinionNewsArticle"],
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": commentary.title,
        "name": f"{series.name} {commentary.label}: {commentary.title}",
        "position": commentary.number,
        "reportNumber": str(commentary.number),
        "isPartOf": {
            "@type": "CreativeWorkSeries",
            "name": series.name,
            "url": absolute(series.get_absolute_url()),
            "publisher": publisher,
        },
        "datePublished": timezone.localtime(commentary.published_at).isoformat(),
        "dateModified": timezone.localtime(commentary.last_modified).isoformat(),
        "author": [_person(authorship, absolute) for authorship in commentary.ordered_authorships],
        "publisher": publisher,
        "abstract": " ".join(point.text for point in commentary.ordered_key_points),
        "description": description(commentary),
        "keywords": topic_names(commentary),
        "inLanguage": commentary.language,
        "isAccessibleForFree": True,
    }
    if commentary.is_published():
        item["encoding"] = {
            "@type": "MediaObject",
            "encodingFormat": "application/pdf",
            "contentUrl": absolute(pdf_path(commentary)),
        }
    item.update(_doi(commentary))
    if commentary.is_translation:
        for edition in editions:
            if edition.pk == commentary.original_id:
                item["translationOfWork"] = _edition(edition, absolute)
    elif translations := [_edition(edition, absolute) for edition in editions]:
        item["workTranslation"] = translations
    return item


def _doi(commentary):
    """The piece's DOI as schema.org says it: an identifier, and the DOI's address as sameAs."""
    if not commentary.doi:
        return {}
    return {
        "identifier": {"@type": "PropertyValue", "propertyID": "DOI", "value": commentary.doi},
        "sameAs": [doi_url(commentary)],
    }


def _edition(edition, absolute):
    """Another edition of the piece, named by its address and DOI, in its language."""
    url = absolute(edition.get_absolute_url())
    return {
        "@type": ["Report", "OpinionNewsArticle"],
        "@id": url,
        "url": url,
        "headline": edition.title,
        "inLanguage": edition.language,
        **_doi(edition),
    }


def _person(authorship, absolute):
    """An author as schema.org Person, with the affiliation printed on this piece."""
    author = authorship.author
    person = {
        "@type": "Person",
        "name": authorship.name,  # as the piece prints it, in its language
        "givenName": author.given_name,
        "familyName": author.family_name,
        "url": absolute(author.get_absolute_url()),
    }
    if affiliation := authorship.affiliation or author.affiliation:
        person["affiliation"] = {"@type": "Organization", "name": affiliation}
    if author.orcid:
        person["sameAs"] = f"https://orcid.org/{author.orcid}"
    return person
