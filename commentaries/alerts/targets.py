"""What a subscription follows: everything, one series, one author or one topic.

Forms carry `follow` as "all" or "<kind>:<slug>" (readable, stable in cached pages); rows store
the target as "all" or "<kind>:<pk>" (models.Subscription), which survives a renamed slug.
"""

from django.utils.translation import gettext
from taggit.models import Tag

from authors.models import Author
from commentaries.models import Series

KINDS = {"series": Series, "author": Author, "topic": Tag}


def follow_value(obj=None):
    """The form value for a page's object (a Series, Author or Tag), or everything."""
    for kind, model in KINDS.items():
        if isinstance(obj, model):
            return f"{kind}:{obj.slug}"
    return "all"


def resolve(follow):
    """The target a form value names, or None if it names nothing that exists."""
    if follow == "all":
        return "all"
    kind, _, slug = (follow or "").partition(":")
    model = KINDS.get(kind)
    obj = model.objects.filter(slug=slug).first() if model and slug else None
    return f"{kind}:{obj.pk}" if obj else None


def obj_of(target):
    kind, _, pk = target.partition(":")
    model = KINDS.get(kind)
    return model.objects.filter(pk=pk).first() if model and pk.isdigit() else None


def label(target):
    """How the target reads in e-mails and pages."""
    if target == "all":
        return gettext("every new commentary")
    kind = target.partition(":")[0]
    obj = obj_of(target)
    if obj is None:
        return gettext("a series, author or topic that no longer exists")
    name = obj.byline_name if kind == "author" else obj.name
    return {
        "series": gettext("the series %(name)s"),
        "author": gettext("pieces by %(name)s"),
        "topic": gettext("the topic %(name)s"),
    }[kind] % {"name": name}


def labels(targets):
    """Labels for many targets in one query per kind (the admin's counts)."""
    found = {"all": "Everything"}
    pks = {kind: [] for kind in KINDS}
    for target in targets:
        kind, _, pk = target.partition(":")
        if kind in pks and pk.isdigit():
            pks[kind].append(int(pk))
    for kind, model in KINDS.items():
        for obj in model.objects.filter(pk__in=pks[kind]):
            name = obj.byline_name if kind == "author" else obj.name
            found[f"{kind}:{obj.pk}"] = f"{kind.title()}: {name}"
    return found
