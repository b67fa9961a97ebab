"""Pre-publish checks: what an editor should read before a piece goes out.

Errors stop Publish and Schedule; warnings stop them once, and an editor who has read them
presses again to go ahead. The checks read the form as submitted (the piece as it will be),
not the stored row.
"""

import hashlib
import re
from dataclasses import dataclass, field

from lxml import html as lxml_html

from commentaries.models import Commentary

SUMMARY_LIMIT = 160
TITLE_LIMIT = 120
# A link to a piece of the primary series, absolute or not: /commentaries/210/ or .../210/slug/
PIECE_LINK = re.compile(r"^(?:https?://[^/]+)?/commentaries/(\d{1,9})(?:/|$)")


@dataclass
class Findings:
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def digest(self):
        """Names the warnings read, so that pressing again goes ahead only past these."""
        return hashlib.sha256("\n".join(self.warnings).encode()).hexdigest()[:16]


def check(*, title, summary, body, key_points, bylines):
    """`key_points`: their texts; `bylines`: (author's name, bio as published) pairs."""
    found = Findings()
    if not bylines:
        found.warnings.append("There is no author.")
    if not strip(body):
        found.errors.append("The body is empty.")
    if not key_points:
        found.warnings.append("There are no key points: cards, feeds and e-mails show them.")
    if not summary.strip():
        found.warnings.append("There is no summary: search engines and shares show it.")
    elif len(summary) > SUMMARY_LIMIT:
        found.warnings.append(
            f"The summary has {len(summary)} characters; search engines cut it at {SUMMARY_LIMIT}."
        )
    if len(title) > TITLE_LIMIT:
        found.warnings.append(
            f"The title has {len(title)} characters; over {TITLE_LIMIT}, lists and shares cut it."
        )
    for name, bio in bylines:
        if not strip(bio):
            found.warnings.append(f"{name} has no bio as published.")
    doc = parse(body)
    if doc is not None:
        if any(not (img.get("alt") or "").strip() for img in doc.iter("img")):
            found.warnings.append("An image in the body has no alt text.")
        hidden = sorted(unpublished_numbers(doc))
        if hidden:
            found.warnings.append(
                "The body links to pieces readers cannot open yet: "
                + ", ".join(f"No.{n}" for n in hidden)
                + "."
            )
    return found


def parse(body):
    try:
        return lxml_html.fragment_fromstring(body or "<p></p>", create_parent="div")
    except Exception:  # lxml's parser errors are of several kinds; an unreadable body has no links
        return None


def strip(markup):
    doc = parse(markup)
    return "" if doc is None else doc.text_content().strip()


def unpublished_numbers(doc):
    numbers = set()
    for link in doc.iter("a"):
        match = PIECE_LINK.match(link.get("href") or "")
        if match:
            numbers.add(int(match.group(1)))
    if not numbers:
        return set()
    public = Commentary.objects.published().filter(series__is_primary=True, number__in=numbers)
    return numbers - set(public.values_list("number", flat=True))
