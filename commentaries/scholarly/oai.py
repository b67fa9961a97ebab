"""OAI-PMH 2.0 at /oai/: what open repositories (BASE, CORE, library discovery systems) harvest.

Every piece that has been public is a record: a live one while it is public, a deleted one
(deletedRecord persistent) once withdrawn or taken down; a piece never public is no record.
A deleted record carries the sets the piece was in when it was last public, recorded when it
left (receivers.py), never topics given to it since; ListSets offers only sets that hold a
public piece or such a record.
Each edition of a piece is a record of its own: an original keeps the identifier pieces had
before editions (oai:<host>:<series>/<number>), so harvesters see no change, and a translation
adds its language (oai:<host>:<series>/<number>/ja). Each live record names its language
(dc:language) and the piece's other public editions (dc:relation: their addresses and DOIs),
which a list page reads in one query for all its records.
A record's datestamp is the latest of its last save, its last major correction and its
publication time (models.OAI_DATESTAMP), so a scheduled piece that goes live after its last
edit is still picked up by an incremental harvest.

Lists are read in pages by keyset on (datestamp, id), which an index on the same expression
serves: a page costs the same at record 100,000 as at record 1. Resumption tokens are signed
and carry the whole position, so the server keeps no state and a tampered token is refused."""

import datetime as dt
import ipaddress
import re
import xml.etree.ElementTree as ET
from urllib.parse import quote, unquote

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db.models import Exists, Min, OuterRef, Prefetch, Q
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from taggit.models import Tag, TaggedItem

from commentaries.addresses import absolute, site_host
from commentaries.models import (
    OAI_DATESTAMP,
    Commentary,
    Series,
    public_now,
    with_public_pieces,
)
from commentaries.scholarly.models import DeletedRecordSet

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
FORMATS = {"oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC)}
TOKEN_SALT = "scholarly.oai.resumption"
TOKEN_MAX_AGE = 24 * 60 * 60
SECONDS = "%Y-%m-%dT%H:%M:%SZ"
SET_SPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
# adminEmail's type in OAI-PMH.xsd: anything without spaces, "@", then dotted labels.
ADMIN_EMAIL = re.compile(r"\S+@(\S+\.)+\S+")

ET.register_namespace("", OAI)
ET.register_namespace("oai_dc", OAI_DC)
ET.register_namespace("dc", DC)
ET.register_namespace("xsi", XSI)

VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), set()),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}),
}


class OaiError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


# ---------------------------------------------------------------- the records


def records():
    """Every piece that has been public, with its datestamp (the index's expression)."""
    return Commentary.objects.filter(first_published_at__lte=timezone.now()).annotate(
        datestamp=OAI_DATESTAMP
    )


def with_record_data(pieces):
    """What a record shows: the piece with its authors, topics and key points, and the sets
    recorded when it was last public."""
    recorded = Prefetch(
        "sets_when_last_public",
        queryset=DeletedRecordSet.objects.order_by("pk"),
        to_attr="recorded_sets",
    )
    return pieces.with_listing_data().prefetch_related(recorded)


def with_other_editions(pieces, now):
    """`pieces` (a list), each given `other_editions`: the other editions of its work that are
    public at `now`, in the order of settings.LANGUAGES; one query for them all."""
    works = {piece.original_id or piece.pk for piece in pieces}
    found = {}
    if works:
        editions = Commentary.objects.filter(
            Q(pk__in=works) | Q(original_id__in=works), live(now)
        ).select_related("series")
        for edition in editions:
            found.setdefault(edition.original_id or edition.pk, []).append(edition)
    order = [code for code, _ in settings.LANGUAGES]
    for piece in pieces:
        others = [e for e in found.get(piece.original_id or piece.pk, []) if e.pk != piece.pk]
        piece.other_editions = sorted(
            others, key=lambda e: order.index(e.language) if e.language in order else len(order)
        )
    return pieces


def is_live(commentary, now):
    """Public at the response's one moment `now` (the domain's one definition)."""
    return commentary.is_published(now)


def live(now):
    """is_live() as a condition on the query."""
    return public_now(now=now)


def repository_id(request):
    return settings.OAI_REPOSITORY_IDENTIFIER or site_host(request)


def identifier(request, commentary):
    """An original's identifier is the piece's as it was before editions; a translation's
    adds its language."""
    language = f"/{commentary.language}" if commentary.original_id else ""
    return f"oai:{repository_id(request)}:{commentary.series.slug}/{commentary.number}{language}"


def admin_email(request):
    """OAI_ADMIN_EMAIL, else webmaster@ the site's host (commentaries.addresses: SITE_URL's,
    in development the request's). A host the schema's address pattern refuses (localhost, an
    IP address) gives webmaster@localhost.localdomain; config.preflight refuses an
    OAI_ADMIN_EMAIL of another form."""
    if settings.OAI_ADMIN_EMAIL:
        return settings.OAI_ADMIN_EMAIL
    host = site_host(request) or ""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        address = f"webmaster@{host}"
        if ADMIN_EMAIL.fullmatch(address):
            return address
    return "webmaster@localhost.localdomain"


def find(request, value, now):
    match = re.fullmatch(r"oai:([^:]+):([\w-]+)/(\d+)(?:/([\w-]+))?", value)
    if match and match.group(1) == repository_id(request):
        _, series, number, language = match.groups()
        pieces = with_record_data(records()).filter(series__slug=series, number=int(number))
        if language:  # a translation's
            found = pieces.filter(original__isnull=False, language=language).first()
        else:  # an original's
            found = pieces.filter(original=None).first()
        if found:
            return with_other_editions([found], now)[0]
    raise OaiError("idDoesNotExist", f"No record has the identifier {value!r}.")


def topic_spec(tag):
    """A tag's slug as a setSpec: Unicode slugs percent-encoded with '.' for '%' (slugs never
    hold a '.'), so every topic has a spec the protocol allows and it reads back."""
    return "topic:" + quote(tag.slug, safe="-_").replace("%", ".")


def sets_of(commentary):
    """(setSpec, setName) of the sets a piece is in now: its series and its topics."""
    series = commentary.series
    topics = ((topic_spec(tag), f"Topic: {tag.name}") for tag in commentary.ordered_topics)
    return [(f"series:{series.slug}", series.name), *topics]


def record_sets_when_last_public(commentary):
    """Keep the sets of a piece that has just stopped being public, for its deleted record."""
    DeletedRecordSet.objects.filter(commentary=commentary).delete()
    DeletedRecordSet.objects.bulk_create(
        DeletedRecordSet(commentary=commentary, spec=spec, name=name)
        for spec, name in sets_of(commentary)
    )


def set_specs(commentary, now):
    """A live record is in its piece's sets; a deleted one in those recorded when the piece
    was last public (its series alone if none were: it left before they were recorded)."""
    if is_live(commentary, now):
        return [spec for spec, _ in sets_of(commentary)]
    recorded = getattr(commentary, "recorded_sets", None)
    if recorded is None:
        recorded = commentary.sets_when_last_public.order_by("pk")
    return [row.spec for row in recorded] or [f"series:{commentary.series.slug}"]


def tagged(tag=None):
    """A piece has taggings (of `tag`, if given), as an EXISTS over them."""
    taggings = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Commentary), object_id=OuterRef("pk")
    )
    return Exists(taggings.filter(tag=tag) if tag else taggings)


def in_set(pieces, spec, now):
    """Live records in the set now, and deleted ones that were in it when last public."""
    kind, _, value = spec.partition(":")
    recorded = DeletedRecordSet.objects.filter(commentary=OuterRef("pk"))
    live_now, was_in = live(now), Exists(recorded.filter(spec=spec))
    if spec == "series":
        return pieces
    if spec == "topic":
        return pieces.filter(
            live_now & tagged() | ~live_now & Exists(recorded.filter(spec__startswith="topic:"))
        )
    if kind == "series" and value:
        mine = Q(series__slug=value)
        return pieces.filter(live_now & mine | ~live_now & (was_in | ~Exists(recorded) & mine))
    if kind == "topic" and value:
        slug = unquote(value.replace(".", "%"))
        # ".00" unquotes to NUL, which PostgreSQL refuses in a query; no topic has one.
        if "\x00" not in slug:
            tag = Tag.objects.filter(slug=slug).first()
            now_in = live_now & tagged(tag) if tag else Q(pk__in=[])
            return pieces.filter(now_in | ~live_now & was_in)
    raise OaiError("noRecordsMatch", f"There is no set {spec!r}.")


# ---------------------------------------------------------------- dates and tokens


def utc(value):
    return value.astimezone(dt.UTC).strftime(SECONDS)


def parse_date(value, name, *, end):
    """(datetime, granularity): a day covers the whole day; a second covers its whole second."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            start, granularity = dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC), "day"
            span = dt.timedelta(days=1)
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", value):
            start = dt.datetime.strptime(value, SECONDS).replace(tzinfo=dt.UTC)
            granularity, span = "second", dt.timedelta(seconds=1)
        else:
            raise ValueError
    except ValueError:
        raise OaiError(
            "badArgument", f"{name}={value!r}: give YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (UTC)."
        ) from None
    return (start + span if end else start), granularity


def new_listing(args):
    prefix = args["metadataPrefix"]
    if prefix not in FORMATS:
        raise OaiError("cannotDisseminateFormat", f"No metadata format {prefix!r}; try oai_dc.")
    listing = {"p": prefix, "s": args.get("set", "")}
    bounds = {}
    for name, end in (("from", False), ("until", True)):
        if name in args:
            bounds[name] = parse_date(args[name], name, end=end)
            listing[name[0]] = bounds[name][0].isoformat()
    if len(bounds) == 2:
        if bounds["from"][1] != bounds["until"][1]:
            raise OaiError("badArgument", "from and until must have the same granularity.")
        if bounds["from"][0] >= bounds["until"][0]:
            raise OaiError("badArgument", "from is later than until.")
    return listing


def read_token(token, verb):
    try:
        listing = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise OaiError("badResumptionToken", "This resumption token has expired.") from None
    except signing.BadSignature:
        raise OaiError("badResumptionToken", "This resumption token is not valid.") from None
    if not isinstance(listing, dict) or listing.get("v") != verb:
        raise OaiError("badResumptionToken", "This resumption token belongs to another list.")
    return listing


def page(listing, now):
    """(pieces on this page, the next page's listing or None, complete list size)."""
    pieces = records()
    if "f" in listing:
        pieces = pieces.filter(datestamp__gte=dt.datetime.fromisoformat(listing["f"]))
    if "u" in listing:
        pieces = pieces.filter(datestamp__lt=dt.datetime.fromisoformat(listing["u"]))
    if listing["s"]:
        pieces = in_set(pieces, listing["s"], now)
    size = listing.get("n")
    if size is None:
        size = listing["n"] = pieces.count()
    if "k" in listing:
        stamp, pk = dt.datetime.fromisoformat(listing["k"][0]), listing["k"][1]
        pieces = pieces.filter(datestamp__gte=stamp).filter(
            Q(datestamp__gt=stamp) | Q(datestamp=stamp, pk__gt=pk)
        )
    length = settings.OAI_PAGE_SIZE
    found = list(with_record_data(pieces).order_by("datestamp", "pk")[: length + 1])
    with_other_editions(found[:length], now)
    if not found and "k" not in listing:
        raise OaiError("noRecordsMatch", "No record matches these arguments.")
    following = None
    if len(found) > length:
        found = found[:length]
        last = found[-1]
        following = {
            **listing,
            "k": [last.datestamp.isoformat(), last.pk],
            "c": listing.get("c", 0) + length,
        }
    return found, following, size


# ---------------------------------------------------------------- the response


def _el(parent, tag, text=None, ns=OAI, **attrs):
    element = ET.SubElement(parent, f"{{{ns}}}{tag}", attrs)
    if text is not None:
        element.text = str(text)
    return element


def header(parent, request, commentary, now):
    attrs = {} if is_live(commentary, now) else {"status": "deleted"}
    head = _el(parent, "header", **attrs)
    _el(head, "identifier", identifier(request, commentary))
    _el(head, "datestamp", utc(commentary.datestamp))
    for spec in set_specs(commentary, now):
        _el(head, "setSpec", spec)


def dublin_core(parent, request, commentary):
    dc = ET.SubElement(
        _el(parent, "metadata"),
        f"{{{OAI_DC}}}dc",
        {f"{{{XSI}}}schemaLocation": f"{OAI_DC} {FORMATS['oai_dc'][0]}"},
    )
    url = absolute(commentary.get_absolute_url(), request)
    published = timezone.localtime(commentary.published_at)
    values = [
        ("title", commentary.title),
        *(("creator", creator(authorship)) for authorship in commentary.ordered_authorships),
        *(("subject", tag.name) for tag in commentary.ordered_topics),
        ("description", " ".join(point.text for point in commentary.ordered_key_points)),
        ("publisher", commentary.series.publisher),
        ("date", f"{published:%Y-%m-%d}"),
        ("type", "Text"),
        ("type", "report"),
        ("format", "text/html"),
        ("identifier", url),
        *((("identifier", f"https://doi.org/{commentary.doi}"),) if commentary.doi else ()),
        ("relation", f"{commentary.series.name} {commentary.label}"),
        *editions_related(commentary, request),
        ("language", commentary.language),
    ]
    for name, value in values:
        _el(dc, name, value, ns=DC)


def creator(authorship):
    """An author as the edition's language names them: the name printed in it (西野純也), which
    is written whole, else "Family, Given" as harvesters sort it."""
    author = authorship.author
    return authorship.name_as_printed or f"{author.family_name}, {author.given_name}"


def editions_related(commentary, request):
    """("relation", value) for each other public edition: its address, then its DOI."""
    for edition in commentary.other_editions:
        yield ("relation", absolute(edition.get_absolute_url(), request))
        if edition.doi:
            yield ("relation", f"https://doi.org/{edition.doi}")


def record(parent, request, commentary, now, *, metadata):
    if not metadata:
        return header(parent, request, commentary, now)
    rec = _el(parent, "record")
    header(rec, request, commentary, now)
    if is_live(commentary, now):
        dublin_core(rec, request, commentary)


def frame(request, now):
    root = ET.Element(
        f"{{{OAI}}}OAI-PMH",
        {f"{{{XSI}}}schemaLocation": f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"},
    )
    _el(root, "responseDate", utc(now))
    return root, _el(root, "request", absolute(request.path, request))


def answer(request, params, now):
    """The response document; a protocol error replaces the verb's body (HTTP 200 either way)."""
    root, request_el = frame(request, now)
    body = None
    try:
        if len(params.getlist("verb")) != 1 or params["verb"] not in VERBS:
            raise OaiError("badVerb", "The verb is missing, repeated or not one of OAI-PMH's.")
        if any(len(params.getlist(name)) > 1 for name in params):
            raise OaiError("badArgument", "An argument is repeated.")
        args = params.dict()
        verb = args.pop("verb")
        check_arguments(verb, args)
        request_el.attrib.update({"verb": verb, **args})  # only for a well-formed request
        body = _el(root, verb)
        VIEWS[verb](body, request, args, now)
    except OaiError as e:
        if body is not None:
            root.remove(body)
        if e.code in ("badVerb", "badArgument"):
            request_el.attrib.clear()  # the protocol: no attributes echoed for these
        _el(root, "error", e.message, code=e.code)
    return root


def check_arguments(verb, args):
    required, optional = VERBS[verb]
    given = set(args) - {"verb"}
    if "resumptionToken" in given and verb in ("ListIdentifiers", "ListRecords", "ListSets"):
        if given != {"resumptionToken"}:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument.")
        return
    if missing := required - given:
        raise OaiError("badArgument", f"Missing argument: {', '.join(sorted(missing))}.")
    if illegal := given - required - optional:
        raise OaiError("badArgument", f"Illegal argument: {', '.join(sorted(illegal))}.")


def identify(body, request, args, now):
    earliest = records().aggregate(Min("datestamp"))["datestamp__min"] or now
    for name, value in (
        ("repositoryName", settings.SITE_NAME),
        ("baseURL", absolute(request.path, request)),
        ("protocolVersion", "2.0"),
        ("adminEmail", admin_email(request)),
        ("earliestDatestamp", utc(earliest)),
        ("deletedRecord", "persistent"),
        ("granularity", "YYYY-MM-DDThh:mm:ssZ"),
    ):
        _el(body, name, value)


def list_metadata_formats(body, request, args, now):
    if "identifier" in args:
        find(request, args["identifier"], now)
    for prefix, (schema, namespace) in FORMATS.items():
        fmt = _el(body, "metadataFormat")
        _el(fmt, "metadataPrefix", prefix)
        _el(fmt, "schema", schema)
        _el(fmt, "metadataNamespace", namespace)


def list_sets(body, request, args, now):
    if "resumptionToken" in args:
        raise OaiError("badResumptionToken", "ListSets answers in one response; no token.")
    public = Commentary.objects.published()
    gone = records().exclude(live(now))
    unrecorded = gone.exclude(Exists(DeletedRecordSet.objects.filter(commentary=OuterRef("pk"))))
    series = {
        f"series:{s.slug}": s.name
        for s in Series.objects.filter(
            Q(commentaries__in=public.values("pk")) | Q(commentaries__in=unrecorded.values("pk"))
        ).distinct()
    }
    taggings = TaggedItem.objects.filter(tag=OuterRef("pk"))
    topics = {
        topic_spec(tag): f"Topic: {tag.name}"
        for tag in with_public_pieces(Tag.objects.all(), taggings)
    }
    recorded = DeletedRecordSet.objects.filter(commentary__in=gone.values("pk"))
    for spec, name in recorded.values_list("spec", "name").distinct():
        (series if spec.startswith("series:") else topics).setdefault(spec, name)
    sets = [("series", "Series"), *sorted(series.items(), key=lambda s: (s[1], s[0]))]
    if topics:
        sets += [("topic", "Topics"), *sorted(topics.items(), key=lambda s: (s[1], s[0]))]
    for spec, name in sets:
        entry = _el(body, "set")
        _el(entry, "setSpec", spec)
        _el(entry, "setName", name)


def get_record(body, request, args, now):
    if args["metadataPrefix"] not in FORMATS:
        raise OaiError(
            "cannotDisseminateFormat", f"No metadata format {args['metadataPrefix']!r}."
        )
    record(body, request, find(request, args["identifier"], now), now, metadata=True)


def listing_view(metadata):
    verb = "ListRecords" if metadata else "ListIdentifiers"

    def view(body, request, args, now):
        if "resumptionToken" in args:
            listing = read_token(args["resumptionToken"], verb)
        else:
            listing = {"v": verb, **new_listing(args)}
        pieces, following, size = page(listing, now)
        for commentary in pieces:
            record(body, request, commentary, now, metadata=metadata)
        if following or "k" in listing:
            token = signing.dumps(following, salt=TOKEN_SALT, compress=True) if following else ""
            expires = utc(now + dt.timedelta(seconds=TOKEN_MAX_AGE))
            attrs = {"completeListSize": str(size), "cursor": str(listing.get("c", 0))}
            if following:
                attrs["expirationDate"] = expires
            _el(body, "resumptionToken", token, **attrs)

    return view


VIEWS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": listing_view(metadata=False),
    "ListRecords": listing_view(metadata=True),
}


@csrf_exempt
@require_http_methods(["GET", "POST", "HEAD"])
def oai_pmh(request):
    params = request.POST if request.method == "POST" else request.GET
    root = answer(request, params, timezone.now().replace(microsecond=0))
    ET.indent(root)
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return HttpResponse(xml, content_type="text/xml; charset=utf-8")
