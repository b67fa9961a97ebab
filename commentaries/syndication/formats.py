"""The three formats subscribers read: RSS 2.0 and Atom 1.0 with full content, and JSON Feed 1.1.

Each takes the same item data from commentaries.syndication.feeds; besides Django's fields an item carries
`content_html` (the whole piece), `summary_text` (plain text), `authors` (name and page of each)
and `language`. A feed may carry a WebSub `hub_url`.
"""

import io
import json

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed, rfc3339_date
from django.utils.html import escape


class WrittenWhole:
    """The XML written into a buffer and handed to the response once: Django's writer makes a
    write for every tag and text, about a thousand through HttpResponse for twenty pieces."""

    def write(self, outfile, encoding):
        buffer = io.StringIO()
        super().write(buffer, encoding)
        outfile.write(buffer.getvalue())


def hex_references(xml):
    """The RSS Best Practices Profile, which the W3C validator follows: "&", "<" and ">" in an RSS
    feed's character data written as hexadecimal references (&#x26; &#x3C; &#x3E;), the form
    aggregators read alike whether they take a field as text or as HTML; the validator warns
    of "&amp;" and "&lt;" in a channel's description (a topic "Trade & investment"). To an XML
    parser they are the same characters, and Django's writer (xml.sax.saxutils) escapes with
    these three entities alone, so the replacement is exact."""
    return xml.replace("&amp;", "&#x26;").replace("&lt;", "&#x3C;").replace("&gt;", "&#x3E;")


class RssFeed(WrittenWhole, Rss201rev2Feed):
    """RSS 2.0: the summary in <description>, the whole piece in <content:encoded>."""

    def write(self, outfile, encoding):
        buffer = io.StringIO()
        super().write(buffer, encoding)
        outfile.write(hex_references(buffer.getvalue()))

    def __init__(self, *args, description, **kwargs):
        # Readers take the channel's <description> as HTML (items' descriptions are rendered
        # HTML already): the names in it, a series' or a topic's, must stay text.
        super().__init__(*args, description=escape(description), **kwargs)

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed["hub_url"]:
            handler.addQuickElement(
                "atom:link", None, {"rel": "hub", "href": self.feed["hub_url"]}
            )

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content_html"])


class AtomFeed(WrittenWhole, Atom1Feed):
    """Atom 1.0: each author with their page, the summary, the whole piece."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed["hub_url"]:
            handler.addQuickElement("link", "", {"rel": "hub", "href": self.feed["hub_url"]})

    def item_attributes(self, item):
        return {"xml:lang": item["language"]}

    def add_item_elements(self, handler, item):
        # One <author> per author instead of Django's single joined byline.
        super().add_item_elements(handler, {**item, "author_name": None})
        for author in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", author["name"])
            handler.addQuickElement("uri", author["url"])
            handler.endElement("author")
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


class JsonFeed(SyndicationFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding):
        feed = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": self.feed["title"],
            "home_page_url": self.feed["link"],
            "feed_url": self.feed["feed_url"],
            "description": self.feed["description"],
            "language": self.feed["language"],
            "hubs": [{"type": "WebSub", "url": self.feed["hub_url"]}]
            if self.feed["hub_url"]
            else None,
            "items": [self.item_object(item) for item in self.items],
        }
        outfile.write(json.dumps(without_empty(feed), ensure_ascii=False, indent=2))

    def item_object(self, item):
        return without_empty(
            {
                "id": item["unique_id"],
                "url": item["link"],
                "title": item["title"],
                "content_html": item["content_html"],
                "summary": item["summary_text"],
                "date_published": rfc3339_date(item["pubdate"]),
                "date_modified": rfc3339_date(item["updateddate"]),
                "authors": [
                    {"name": author["name"], "url": author["url"]} for author in item["authors"]
                ],
                "tags": item["categories"],
                "language": item["language"],
            }
        )


def without_empty(mapping):
    """JSON Feed leaves out what it has no value for, rather than writing null or []."""
    return {key: value for key, value in mapping.items() if value not in (None, "", [], ())}
