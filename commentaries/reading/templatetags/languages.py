"""The language switch in every page's masthead."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation

register = template.Library()


@register.inclusion_tag("includes/language_switch.html", takes_context=True)
def language_switch(context):
    """A link for each other language: to this page in it, as the page's `alternates` (a list
    of (language, absolute address), contract of the languages issue) has it, else to that
    language's home. Named in its own language, so a reader finds theirs."""
    alternates = dict(context.get("alternates") or ())
    links = []
    for code, name in settings.LANGUAGES:
        if code == translation.get_language():
            continue
        url = alternates.get(code)
        if url is None:
            with translation.override(code):
                url = reverse("commentaries:home")
        links.append({"code": code, "name": name, "url": url})
    return {"links": links}
