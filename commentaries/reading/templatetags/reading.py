"""Template tags for a commentary's page (its metadata and its citations), its byline and date in
every card (includes/card.html), and the archive's years."""

import functools
import json

from django import template
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.dates import MONTHS
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from commentaries.addresses import absolute, address
from commentaries.media import sharing
from commentaries.models import topic_name
from commentaries.reading import archive, citations, metadata, topics

register = template.Library()

# As django.utils.html.json_script does: nothing in the data can close the <script> element.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def byline(commentary):
    """The authors, each linked to their page, in a row as the piece's language lists names:
    "A, B and C" (Commentary.byline's), "A、B、C" in Japanese."""
    links = [
        format_html('<a href="{}">{}</a>', author.get_absolute_url(), name)
        for author, name in zip(commentary.ordered_authors, commentary.author_names, strict=True)
    ]
    if len(links) < 2:
        return mark_safe("".join(links))  # escaped by format_html, as below
    with translation.override(commentary.language):
        first = pgettext("between names in a row", ", ").join(links[:-1])
        row = gettext("%(names)s and %(last)s") % {"names": first, "last": links[-1]}
    return mark_safe(row)


@register.filter(name="topic_name")
def topic_name_filter(tag, language):
    """{{ tag|topic_name:commentary.language }}: the topic's name in that language."""
    return topic_name(tag, language)


@register.simple_tag
def time_element(moment):
    """<time datetime="2015-05-15T09:00:00+09:00">15 May 2015</time> (2015年5月15日 in
    Japanese), in the site's time zone: what the date filter makes ('c' and DATE_FORMAT); the
    English form at a fifth of its cost, for lists of cards."""
    local = timezone.localtime(moment)
    date_format = get_format("DATE_FORMAT")
    if date_format == "j F Y":
        text = f"{local.day} {MONTHS[local.month]} {local.year}"
    else:
        text = dateformat.format(local, date_format)
    return format_html('<time datetime="{}">{}</time>', local.isoformat(), text)


@register.simple_tag
def lang_attr(language):
    """The attribute lang="<language>" on a passage in another language than the page's."""
    if language == translation.get_language():
        return ""
    return format_html(' lang="{}"', language)


@register.filter
def cite(title, language):
    """<cite>title</cite>, with lang="<language>" when the page is in another language."""
    if language == translation.get_language():
        return format_html("<cite>{}</cite>", title)
    return format_html('<cite lang="{}">{}</cite>', language, title)


@register.simple_tag
def commentary_description(commentary):
    return metadata.description(commentary)


@register.inclusion_tag("includes/commentary_meta.html", takes_context=True)
def commentary_meta(context, commentary):
    """Canonical link, Open Graph, Twitter, Google Scholar and JSON-LD for one piece."""
    url, request = context["canonical_url"], context["request"]
    make_absolute = functools.partial(absolute, request=request)
    editions = context.get("editions", [])
    data = json.dumps(
        metadata.json_ld(commentary, url=url, absolute=make_absolute, editions=editions),
        ensure_ascii=False,
    )
    public = commentary.is_published()
    return {
        "canonical_url": url,
        # Zotero's unAPI reader fetches the piece's RIS from here (views.unapi)
        "unapi_url": make_absolute(reverse("commentaries:unapi")) if public else "",
        "meta_tags": metadata.meta_tags(
            commentary,
            url=url,
            absolute=make_absolute,
            image=sharing.share_image(commentary) if public else None,
            editions=editions,
        ),
        "json_ld": format_html(
            '<script type="application/ld+json">{}</script>',
            mark_safe(data.translate(JSON_SCRIPT_ESCAPES)),
        ),
    }


@register.inclusion_tag("includes/cite_this.html", takes_context=True)
def cite_this(context, commentary):
    url = context["canonical_url"]
    return {
        "chicago": citations.chicago(commentary, url=url),
        "apa": citations.apa(commentary, url=url),
        "bibtex_url": metadata.citation_url(commentary, "bib"),
        "ris_url": metadata.citation_url(commentary, "ris"),
        "unapi_id": metadata.unapi_id(commentary) if commentary.is_published() else "",
    }


@register.inclusion_tag("includes/archive_years.html")
def archive_years(current=None, topic=None):
    """Every year from the first public piece's to the latest's: two index lookups, where the
    years that hold pieces would take a scan of the archive (archives have no empty years).
    A topic's years (topics.topic_years()) stay in the topic."""
    if topic is None:
        span, name, kwargs = archive.year_span(), "commentaries:year", {}
    else:
        span = topics.topic_years(topic)
        name, kwargs = "commentaries:topic-year", {"slug": topic.slug}
    if span is None:
        return {"years": [], "current": current}
    first, last = span
    years = [(year, address(name, year=year, **kwargs)) for year in range(last, first - 1, -1)]
    return {"years": years, "current": current, "topic": topic}
