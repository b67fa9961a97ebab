"""The e-mails: alert, weekly digest, confirmation and an editor's test copy.

Every message is multipart (plain text and HTML), the HTML built from the same partials as the
page (templates/includes/), with every link absolute and nothing loaded from other sites.
Each is written in its reader's language: an alert in its piece's (subject, labels and the
unsubscribe text alike), a digest in its pieces' when they share one, a confirmation in the
language of the page where the reader asked (tasks.send_confirmation).
"""

import re
import unicodedata
from email.utils import make_msgid

import lxml.html
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from commentaries.addresses import absolute, site_host, site_url
from commentaries.alerts import tokens


class Message(EmailMultiAlternatives):
    """Headers written on one line up to RFC 5322's 998 characters: the email package would
    otherwise turn a List-Unsubscribe URL longer than 78 into an RFC 2047 encoded word, which
    mail clients do not read as a URL."""

    def message(self, **kwargs):
        msg = super().message(**kwargs)
        msg.policy = msg.policy.clone(max_line_length=998)
        return msg


def one_line(text):
    """Header text with every control character (line breaks, tabs, NUL, escapes; the line
    and paragraph separators too) turned into a space: a title that holds one would make
    Django refuse the header (BadHeaderError) and the message would never go."""
    cleaned = "".join(
        " " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in str(text)
    )
    return re.sub(r" {2,}", " ", cleaned).strip()


BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "li", "blockquote", "tr", "ul", "ol", "table"}


def host():
    return site_host() or "localhost"


def list_id():
    return one_line(f"{settings.SITE_NAME} alerts <alerts.{host()}>")


def subscriber_links(subscriber):
    return {
        "unsubscribe_url": absolute(
            reverse("alerts:unsubscribe", args=[tokens.make(tokens.UNSUBSCRIBE, subscriber.pk)])
        ),
        "preferences_url": absolute(
            reverse("alerts:preferences", args=[tokens.make(tokens.PREFERENCES, subscriber.pk)])
        ),
    }


def finish_html(html):
    """Links made absolute; images from anywhere but this site dropped (no tracking, no
    third-party loads when the message is opened)."""
    doc = lxml.html.fromstring(html)
    doc.make_links_absolute(site_url(), resolve_base_href=False)
    for img in doc.xpath("//img"):
        if not (img.get("src") or "").startswith(site_url() + "/"):
            img.drop_tree()
    return lxml.html.tostring(doc, doctype="<!doctype html>", encoding="unicode")


def plain_text(html):
    """Readable plain text of an HTML fragment: blocks as paragraphs, links as "text <url>"."""
    if not html.strip():
        return ""
    doc = lxml.html.fragment_fromstring(html, create_parent="div")
    doc.make_links_absolute(site_url(), resolve_base_href=False)
    for a in doc.xpath("//a[@href]"):
        if a.text_content().strip() != a.get("href"):
            a.tail = f" <{a.get('href')}>" + (a.tail or "")
    for br in doc.xpath("//br"):
        br.tail = "\n" + (br.tail or "")
    for li in doc.xpath("//li"):
        li.text = "- " + (li.text or "")
    for element in doc.iter():
        if element.tag in BLOCKS:
            element.tail = "\n\n" + (element.tail or "")
    lines = [" ".join(line.split()) for line in doc.text_content().splitlines()]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


def render(template, context):
    """(plain text, HTML) of one of the e-mails."""
    context = {"site_name": settings.SITE_NAME, "site_url": site_url(), **context}
    return (
        render_to_string(f"alerts/email/{template}.txt", context),
        finish_html(render_to_string(f"alerts/email/{template}.html", context)),
    )


def build(template, context, **kwargs):
    return compose(*render(template, context), **kwargs)


def compose(text, html, *, to, subject, message_id=None, unsubscribe_url=None):
    headers = {"Message-ID": message_id or make_msgid("alerts", domain=host())}
    if unsubscribe_url:
        mailto = settings.ALERTS_UNSUBSCRIBE_MAILTO
        links = [f"<{unsubscribe_url}>"] + (
            [f"<mailto:{mailto}?subject=unsubscribe>"] if mailto else []
        )
        headers |= {
            "List-Unsubscribe": ", ".join(links),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",  # RFC 8058
            "List-Id": list_id(),
        }
    message = Message(
        subject=one_line(subject),
        body=text,
        from_email=settings.EMAIL_FROM,
        to=[to],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def piece_context(commentary):
    return {
        "commentary": commentary,
        "canonical_url": absolute(commentary.get_absolute_url()),
        "body_text": plain_text(commentary.body),
        "bios_text": [plain_text(a.bio) for a in commentary.ordered_authorships if a.bio],
        "full_text": settings.ALERTS_FULL_TEXT,
    }


# Stand-ins for one subscriber's links in an alert rendered once for a whole batch: plain
# letters, which neither escaping nor making links absolute changes.
LINK_STAND_INS = {
    "unsubscribe_url": "https://subscriber.invalid/unsubscribe-link",
    "preferences_url": "https://subscriber.invalid/preferences-link",
}


def piece_alert(commentary):
    """The alert of `commentary` as every subscriber gets it, rendered once: (plain text,
    HTML) with stand-ins where each subscriber's own links go."""
    with translation.override(commentary.language):
        return render("alert", {**piece_context(commentary), **LINK_STAND_INS})


def alert_subject(commentary):
    return f"{commentary.title} ({commentary.series.name} {commentary.label})"


def alert(delivery, rendered=None):
    """The alert of one delivery; `rendered` is piece_alert() of its commentary when the caller
    sends many and has rendered it once."""
    commentary, subscriber = delivery.commentary, delivery.subscriber
    links = subscriber_links(subscriber)
    text, html = rendered or piece_alert(commentary)
    for name, stand_in in LINK_STAND_INS.items():
        text = text.replace(stand_in, links[name])
        html = html.replace(stand_in, escape(links[name]))
    with translation.override(commentary.language):
        return compose(
            text,
            html,
            to=subscriber.email,
            subject=alert_subject(commentary),
            # One identity per delivery: should a crash make the worker send it again, the
            # copy has the same Message-ID, which mail clients and archives treat as one.
            message_id=f"<alert.{delivery.pk}.{delivery.created_at:%Y%m%d%H%M%S}@{host()}>",
            unsubscribe_url=links["unsubscribe_url"],
        )


def test_copy(commentary, to):
    with translation.override(commentary.language):
        return build(
            "alert",
            {**piece_context(commentary), "test": True},
            to=to,
            subject=_("[Test] %(title)s") % {"title": alert_subject(commentary)},
        )


def digest_language(pieces):
    """The language its pieces share, else the site's main language."""
    languages = {piece.language for piece in pieces}
    return languages.pop() if len(languages) == 1 else settings.LANGUAGE_CODE


def digest(digest_row, pieces):
    subscriber = digest_row.subscriber
    links = subscriber_links(subscriber)
    items = [{"commentary": c, "canonical_url": absolute(c.get_absolute_url())} for c in pieces]
    with translation.override(digest_language(pieces)):
        return build(
            "digest",
            {"items": items, "week": digest_row.week, **links},
            to=subscriber.email,
            subject=_("%(site)s: the week's commentaries (%(day)s)")
            % {"site": settings.SITE_NAME, "day": date_format(digest_row.week)},
            message_id=f"<digest.{digest_row.pk}.{digest_row.week:%Y%m%d}@{host()}>",
            unsubscribe_url=links["unsubscribe_url"],
        )


def confirmation(request_row, target_label):
    url = absolute(reverse("alerts:confirm", args=[tokens.make_confirm(request_row.pk)]))
    return build(
        "confirm",
        {
            "confirm_url": url,
            "target_label": target_label,
            "frequency": request_row.get_frequency_display(),
            "days": settings.ALERTS_CONFIRM_DAYS,
        },
        to=request_row.email,
        subject=_("Confirm your subscription to %(site)s") % {"site": settings.SITE_NAME},
    )
