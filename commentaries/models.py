import re

import reversion
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Cast, Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone, translation
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from commentaries.addresses import address
from commentaries.html import sanitise_html
from commentaries.identifiers import normalise_doi, validate_doi

DEFAULT_DISCLAIMER = (
    "The views expressed in this piece are the author's own and should not be attributed to "
    "{publisher}."
)
# "author's", "author’s" and "author" in a disclaimer, made plural under several authors.
AUTHOR_WORD = re.compile(r"\b([Aa]uthor)(['’]s)?\b")


class Series(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    publisher = models.CharField(max_length=300)
    publisher_url = models.URLField(blank=True)
    description = models.TextField(blank=True)
    disclaimer = models.TextField(
        default=DEFAULT_DISCLAIMER,
        help_text="Printed under every commentary. {publisher} is replaced by the publisher.",
    )
    is_primary = models.BooleanField(
        default=False,
        help_text="The primary series is served at /commentaries/<number>/; others under "
        "/series/<slug>/<number>/.",
    )
    logo = models.ForeignKey(
        "media.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown in the masthead; a wide picture, on a transparent or white ground.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_primary", "name"]
        verbose_name_plural = "series"
        constraints = [
            models.UniqueConstraint(
                fields=["is_primary"],
                condition=Q(is_primary=True),
                name="one_primary_series",
                violation_error_message="Another series is already the primary one.",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("commentaries:series", kwargs={"slug": self.slug})

    @property
    def disclaimer_text(self):
        return self.disclaimer.replace("{publisher}", self.publisher)

    def disclaimer_for(self, authors):
        """The disclaimer under a piece by this many authors: "the authors' own" for several."""
        if authors < 2:
            return self.disclaimer_text
        return AUTHOR_WORD.sub(
            lambda m: m[1] + ("s" + m[2][0] if m[2] else "s"), self.disclaimer_text
        )


def name_in_language(owner, language, default):
    """`owner`'s name in `language` among its `names` (an author's, a topic's), else `default`,
    which is also the main language's. Reads the names a list prefetched (`listed_names`) when
    there are any."""
    if language == settings.LANGUAGE_CODE:
        return default
    try:
        names = owner.listed_names
    except AttributeError:
        names = owner.names.all()
    return next((n.name for n in names if n.language == language), default)


def check_language(code):
    """Refuses a language that is not one of settings.LANGUAGES."""
    codes = [code for code, _ in settings.LANGUAGES]
    if code not in codes:
        raise ValidationError({"language": f"Choose one of {', '.join(codes)}."})


def public_now(prefix="", now=None):
    """What public means, as lookups (on a related piece through `prefix`): published, and its
    publication time has come (by `now`, default this moment). published() and
    Commentary.is_published() say the same."""
    return Q(
        **{
            f"{prefix}status": Commentary.Status.PUBLISHED,
            f"{prefix}published_at__lte": now or timezone.now(),
        }
    )


class CommentaryQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status=Commentary.Status.PUBLISHED)

    def published(self):
        """Public now: published, and its publication time has come. The one definition."""
        return self.filter(public_now())

    def in_language(self, code):
        """The editions in this language (a language code of settings.LANGUAGES)."""
        return self.filter(language=code)

    def without_translation(self):
        """Originals no edition translates yet."""
        translations = Commentary.objects.filter(original=OuterRef("pk"))
        return self.filter(original__isnull=True).exclude(Exists(translations))

    def stale_translations(self):
        """Public translations whose original changed after them: its content was saved, or it
        had a major correction, after the translation was last published or saved (a public
        piece's save is what its readers read). What is_stale_translation says of one."""
        return (
            self.published()
            .filter(original__isnull=False)
            .alias(
                original_changed=Greatest(
                    "original__updated_at",
                    Coalesce("original__modified_at", "original__updated_at"),
                ),
                translated=Greatest("updated_at", "published_at"),
            )
            .filter(original_changed__gt=F("translated"))
        )

    def scheduled(self):
        """Published, its publication time still to come."""
        return self.live().filter(published_at__gt=timezone.now())

    def on_topic(self, tag):
        """Pieces on this topic, by a correlated EXISTS over its taggings.

        With it PostgreSQL walks the newest pieces and stops at a page when the topic is large,
        where a join sorts every piece of the topic: for a topic on a third of 100,000 pieces,
        50 ms of SQL against 0.2; for one on a hundredth, 3 ms against 4.6. The tag itself, not
        its slug: by its id the planner knows how common the topic is."""
        taggings = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model),
            object_id=OuterRef("pk"),
            tag=tag,
        )
        return self.filter(Exists(taggings))

    def with_listing_data(self, *, bylines=True):
        """A piece with everything around it (authors, key points, topics), in a fixed number
        of queries: for pages and feeds that show whole pieces. bylines=False leaves the authors
        to fetch_bylines(), with the other pieces on the same page."""
        queryset = self.select_related("series", "lead_image")
        queryset = queryset.prefetch_related(_key_points(), _topics(), _topic_names())
        return queryset.prefetch_related(_authorships()) if bylines else queryset

    def with_corrections(self):
        """The corrections too, in one more query: for feeds and PDFs that print them."""
        return self.prefetch_related(_corrections())

    def with_card_data(self, *, key_points=False, bylines=True):
        """What a card in a list shows (series, number, title, date, byline; the key points if
        asked, for the standfirst of a piece without a summary), in two to four queries. Lists
        leave the bodies behind: twenty of them are most of what a list page would otherwise
        read and decode."""
        queryset = self.select_related("series").defer("body")
        if bylines:
            queryset = queryset.prefetch_related(_authorships())
        return queryset.prefetch_related(_key_points()) if key_points else queryset


def names_in_a_row(names):
    """ "A", "A and B", "A, B and C": as a byline lists its authors."""
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def fetch_bylines(pieces):
    """The authors of all these pieces in one query (those that have theirs already aside)."""
    models.prefetch_related_objects(pieces, _authorships())


# Lists in attributes (to_attr), not managers' caches: a list costs nothing per piece, where
# a prefetched manager builds a queryset for each. Explicit orderings: the models' own order by
# their commentary first, which would join the commentaries back in to sort by their time.
def _authorships():
    queryset = Authorship.objects.select_related("author__photo").order_by("position", "pk")
    # Each author's name in the piece's language (Authorship.name), in the same query.
    names = apps.get_model("authors", "AuthorName").objects.filter(
        author=OuterRef("author"), language=OuterRef("commentary__language")
    )
    names = names.exclude(language=settings.LANGUAGE_CODE)  # the main language's: the row's
    queryset = queryset.annotate(name_as_printed=models.Subquery(names.values("name")[:1]))
    return models.Prefetch("authorships", queryset=queryset, to_attr="listed_authorships")


def _key_points():
    queryset = KeyPoint.objects.order_by("position", "pk")
    return models.Prefetch("key_points", queryset=queryset, to_attr="listed_key_points")


def _corrections():
    queryset = Correction.objects.order_by("made_at", "pk")
    return models.Prefetch("corrections", queryset=queryset, to_attr="listed_corrections")


def _topics():
    # taggit's manager takes no queryset of ours; its own order (that of the taggings) stays.
    return models.Prefetch("tags", to_attr="listed_topics")


def _topic_names():
    """The names in other languages of the topics _topics() fetched (topic_name())."""
    return models.Prefetch("listed_topics__names", to_attr="listed_names")


def with_public_pieces(queryset, rows, piece="commentary"):
    """The rows of `queryset` (authors, topics) with a public piece among `rows`, a queryset
    of authorships or taggings correlated to OuterRef("pk") whose piece is `piece`.

    A scalar subquery with LIMIT 1, which PostgreSQL runs for each row and stops at the first
    public piece: an EXISTS would be turned into a join over the whole archive. An alias, not
    an annotation: selected as well, it ran twice for each row.
    """
    first = (
        rows.filter(public_now(f"{piece}__"))
        .order_by()  # any public piece will do; no sort
        .values("pk")[:1]
    )
    return queryset.alias(public_piece=models.Subquery(first)).filter(public_piece__isnull=False)


# When a record last changed for harvesters: a save, a major correction (saved with
# update_fields, so updated_at stays) or the publication time of a scheduled piece.
OAI_DATESTAMP = Greatest("updated_at", "published_at", Coalesce("modified_at", "published_at"))


@reversion.register(follow=["key_points", "authorships", "taggings"])
class Commentary(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="commentaries")
    number = models.PositiveIntegerField(help_text="The number within the series, as printed.")
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=300)
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(
        "publication time",
        default=timezone.now,
        db_index=True,
        help_text="Tokyo time. Left alone, the piece is dated the moment it is published; a "
        "time you set here is kept. To publish later, use Schedule.",
    )
    body = models.TextField(help_text="The commentary's text (HTML, cleaned on save).")
    lead_image = models.ForeignKey(
        "media.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional; shown under the title, and when a link to the piece is shared.",
    )
    lead_image_caption = models.CharField(
        "caption", max_length=500, blank=True, help_text="Shown under the lead image."
    )
    summary = models.TextField(blank=True, help_text="Optional; the key points serve otherwise.")
    language = models.CharField(max_length=10, default="en")
    original = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="translations",
        help_text="Empty on an original; a translation names the original it translates "
        "(same series and number, another language).",
    )
    translator = models.CharField(
        max_length=300, blank=True, help_text='As printed: "Translated by ...".'
    )
    authors = models.ManyToManyField(
        "authors.Author", through="Authorship", related_name="commentaries"
    )
    tags = TaggableManager("topics", blank=True, help_text="Topics, comma-separated.")
    # The rows behind `tags`, for lookups through them (OAI's sets, topics with a public piece).
    tagged_items = GenericRelation(TaggedItem, related_query_name="commentary")
    published_at_set_by_hand = models.BooleanField(
        "use this publication time",
        default=False,
        help_text="Set when an editor types a publication time or schedules the piece; "
        "otherwise the piece is dated the moment it is published.",
    )
    preview_links_issued = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Preview links carry this number; raising it revokes every link handed out.",
    )
    first_published_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set by the publishing services when the piece first goes public (or is "
        "scheduled to); once that time has passed its number is fixed.",
    )
    modified_at = models.DateTimeField(
        "last major correction",
        null=True,
        blank=True,
        editable=False,
        help_text="Moves only with a major correction; minor edits leave it alone.",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When it was last submitted for review; cleared when it leaves review.",
    )
    planned_at = models.DateTimeField(
        "planned date",
        null=True,
        blank=True,
        help_text="When the editors mean to publish it, for the calendar. Planning is not "
        "scheduling: nothing is published or sent at this time.",
    )
    release = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="How many times the publishing services have published the piece; each time "
        "is a new release, so its publication events happen once per release.",
    )
    withdrawal_reason = models.TextField(
        blank=True, help_text="Shown to readers at the withdrawn piece's address."
    )
    doi = models.CharField(
        "DOI",
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_doi],
        help_text="For example 10.99999/ajiss.210. DOI_PATTERN proposes one when the piece is "
        "first published; the DOI resolves only once deposited at Crossref.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CommentaryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-number"]
        get_latest_by = "published_at"
        verbose_name_plural = "commentaries"
        constraints = [
            # Editions share their series and number, one per language.
            models.UniqueConstraint(
                fields=["series", "number", "language"],
                name="unique_series_number_language",
                violation_error_message="This number already has an edition in this language.",
            ),
            models.CheckConstraint(
                condition=Q(number__gt=0),
                name="number_positive",
                violation_error_code="invalid",
                violation_error_message="The number must be 1 or more.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            # The desk: what waits for review, oldest first; drafts planned for a day.
            models.Index(fields=["status", "submitted_at"], name="review_queue"),
            models.Index(fields=["planned_at"], name="planned_pieces"),
            # A series' page: its public pieces newest first, without walking the others'.
            models.Index(fields=["series", "status", "-published_at"], name="series_newest"),
            # Every public list shows one language's pieces, newest first.
            models.Index(fields=["language", "status", "-published_at"], name="language_newest"),
            # OAI-PMH reads records in (datestamp, id) order, page by page (scholarly.oai)
            models.Index(OAI_DATESTAMP, "id", name="commentary_oai_datestamp"),
            # taggit's object_id is an integer and our ids are bigints, so a topic's taggings
            # meet their pieces on CAST(id AS integer): only an index on that lets a topic find
            # its first public piece without walking the archive (with_public_pieces()).
            models.Index(Cast("id", models.IntegerField()), name="commentary_id_as_integer"),
        ]
        permissions = [("publish_commentary", "Can publish, schedule and withdraw commentaries")]

    def __str__(self):
        return f"{self.series.name} No.{self.number}: {self.title}"

    def save(self, *args, **kwargs):
        # Content only: its state (status, times, release, withdrawal) is written by the
        # publishing services alone (commentaries.publishing.services).
        self.body = sanitise_html(self.body)
        self.doi = normalise_doi(self.doi) or None
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The edition's address in its own language (under that language's prefix)."""
        with translation.override(self.language):
            if self.series.is_primary:
                return address("commentaries:detail", number=self.number, slug=self.slug)
            return address(
                "commentaries:series-detail",
                series=self.series.slug,
                number=self.number,
                slug=self.slug,
            )

    def clean(self):
        check_language(self.language)
        original = self.original
        if original is None:
            return
        if original.pk == self.pk or original.original_id is not None:
            raise ValidationError({"original": "A translation's original must be an original."})
        if (original.series_id, original.number) != (self.series_id, self.number):
            raise ValidationError(
                {"original": "A translation keeps its original's series and number."}
            )
        if original.language == self.language:
            raise ValidationError(
                {"original": "A translation is in another language than its original."}
            )

    def editions(self):
        """Every edition of the same work, this one included, whatever their status."""
        root = self.original_id or self.pk
        return Commentary.objects.filter(Q(pk=root) | Q(original_id=root))

    @property
    def is_translation(self):
        return self.original_id is not None

    @property
    def changed_at(self):
        """When its content last changed: saved, or given a major correction (what
        stale_translations() compares, as SQL)."""
        return max(self.updated_at, self.modified_at or self.updated_at)

    @property
    def is_stale_translation(self):
        """A public translation whose original changed after it (stale_translations())."""
        if self.original_id is None or not self.is_published():
            return False
        return self.original.changed_at > max(self.updated_at, self.published_at)

    def missing_languages(self):
        """The codes of settings.LANGUAGES the work has no edition in yet."""
        taken = set(self.editions().values_list("language", flat=True))
        return [code for code, _ in settings.LANGUAGES if code not in taken]

    @property
    def taggings(self):
        """The rows behind `tags`, each with its topic at hand: what revisions keep of them
        (through tagged_items, each would fetch its topic and its piece to be named)."""
        return Tagging.objects.filter(
            content_type=ContentType.objects.get_for_model(Commentary), object_id=self.pk
        )

    def clean_fields(self, exclude=None):
        self.doi = normalise_doi(self.doi) or None
        super().clean_fields(exclude)

    def is_published(self, now=None):
        """Public (by `now`, default this moment): what public_now() says of the row."""
        return self.status == self.Status.PUBLISHED and self.published_at <= (
            now or timezone.now()
        )

    is_published.boolean = True

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.published_at > timezone.now()

    @property
    def has_been_public(self):
        """Readers have seen it (it may be withdrawn since); a scheduled piece has not yet.
        A piece whose state was written outside the services (a script, a backup) has no
        first-public time until its event is recorded: its status and time tell."""
        now = timezone.now()
        if self.first_published_at is not None:
            return self.first_published_at <= now
        return self.status in (self.Status.PUBLISHED, self.Status.WITHDRAWN) and (
            self.published_at <= now
        )

    @property
    def number_is_fixed(self):
        """A number that has been public can never change or be reused."""
        return self.has_been_public

    @property
    def last_modified(self):
        """When subscribers should see the piece as changed: the last major correction."""
        return self.modified_at or self.published_at

    @property
    def label(self):
        return f"No.{self.number}"

    @property
    def standfirst(self):
        """What a card says of the piece under its title: the summary, else the first key point."""
        if self.summary:
            return self.summary
        points = self.ordered_key_points
        return points[0].text if points else ""

    @property
    def ordered_authorships(self):
        """Authorships in byline order: those with_card_data() fetched, else the manager's
        (its prefetch cache when there is one)."""
        try:
            return self.listed_authorships
        except AttributeError:
            return sorted(self.authorships.all(), key=lambda a: (a.position, a.pk))

    @property
    def ordered_authors(self):
        return [authorship.author for authorship in self.ordered_authorships]

    @property
    def authorships_with_bios(self):
        return [authorship for authorship in self.ordered_authorships if authorship.bio]

    @property
    def disclaimer(self):
        """The series' disclaimer, in the singular or the plural as the byline is."""
        return self.series.disclaimer_for(len(self.ordered_authorships))

    @property
    def author_names(self):
        """The authors' names as printed in this edition's language."""
        return [authorship.name for authorship in self.ordered_authorships]

    @property
    def byline(self):
        return names_in_a_row(self.author_names)

    @property
    def ordered_topics(self):
        """Those with_listing_data() fetched, else the manager's, in the order they were given."""
        try:
            return self.listed_topics
        except AttributeError:
            return list(self.tags.all())

    @property
    def ordered_corrections(self):
        """Those with_corrections() fetched, else the manager's, in the order they were made."""
        try:
            return self.listed_corrections
        except AttributeError:
            return sorted(self.corrections.all(), key=lambda c: (c.made_at, c.pk))

    @property
    def ordered_key_points(self):
        """Those with_card_data() or with_listing_data() fetched, else the manager's."""
        try:
            return self.listed_key_points
        except AttributeError:
            return sorted(self.key_points.all(), key=lambda k: (k.position, k.pk))


class Correction(models.Model):
    """A major correction: readers see "Updated <date>: <note>" and the modified date moves."""

    commentary = models.ForeignKey(
        Commentary, on_delete=models.CASCADE, related_name="corrections"
    )
    made_at = models.DateTimeField(default=timezone.now)
    note = models.TextField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["commentary", "made_at"]
        get_latest_by = "made_at"

    def __str__(self):
        return f"Correction to No.{self.commentary.number} at {self.made_at:%Y-%m-%d}"


@reversion.register()
class KeyPoint(models.Model):
    commentary = models.ForeignKey(Commentary, on_delete=models.CASCADE, related_name="key_points")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()

    class Meta:
        ordering = ["commentary", "position", "pk"]

    def __str__(self):
        return self.text[:80]


class AuthorshipManager(models.Manager):
    def get_queryset(self):
        # An authorship is shown, compared and kept in revisions with its author's name.
        return super().get_queryset().select_related("author")


@reversion.register()
class Authorship(models.Model):
    """An author on a commentary, in byline order, with the bio as published on it."""

    commentary = models.ForeignKey(
        Commentary, on_delete=models.CASCADE, related_name="authorships"
    )
    author = models.ForeignKey("authors.Author", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    position_title = models.CharField(
        "position as published", max_length=200, blank=True, help_text="As of publication."
    )
    affiliation = models.CharField(
        "affiliation as published", max_length=300, blank=True, help_text="As of publication."
    )
    bio = models.TextField(
        "bio as published", blank=True, help_text="The bio printed with this piece (HTML)."
    )

    objects = AuthorshipManager()

    class Meta:
        ordering = ["commentary", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["commentary", "author"], name="unique_authorship")
        ]

    def __str__(self):
        return f"{self.author} on No.{self.commentary.number}"

    def save(self, *args, **kwargs):
        self.bio = sanitise_html(self.bio)
        super().save(*args, **kwargs)

    @property
    def name(self):
        """The author's name as the piece prints it, in its language: what with_card_data()
        and with_listing_data() fetched, else asked of the author."""
        try:
            return self.name_as_printed or self.author.byline_name
        except AttributeError:
            return self.author.name_in(self.commentary.language)


class TaggingManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().select_related("tag")


class Tagging(TaggedItem):
    """A tagging of a piece as its revisions keep it (stored as taggit's TaggedItem)."""

    objects = TaggingManager()

    class Meta:
        proxy = True

    def __str__(self):
        return self.tag.name


class TopicName(models.Model):
    """A topic's name in a language other than the main one (the Tag's own name is that)."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="names")
    language = models.CharField(max_length=10)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["tag", "language"]
        constraints = [
            models.UniqueConstraint(fields=["tag", "language"], name="one_topic_name_per_language")
        ]

    def __str__(self):
        return self.name

    def clean(self):
        check_language(self.language)


def topic_name(tag, language):
    """The topic's name as shown in `language`: its TopicName, else its own."""
    return name_in_language(tag, language, tag.name)


reversion.register(TaggedItem, follow=["tag"])
reversion.register(Tagging, follow=["tag"])
reversion.register(Tag)


# The text-search configuration of the stored vectors, which every query must use too.
SEARCH_CONFIG = "english"


class SearchDocument(models.Model):
    """What search reads for one commentary; commentaries/search.py keeps it current."""

    commentary = models.OneToOneField(
        Commentary, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    text = models.TextField(help_text="Key points and body as plain text: the snippets' source.")
    names = models.TextField(help_text="Author names and topics.")
    vector = SearchVectorField(null=True, help_text="Weighted lexemes (PostgreSQL only).")

    class Meta:
        indexes = [GinIndex(fields=["vector"], name="search_document_vector")]

    def __str__(self):
        return f"Search document of {self.commentary_id}"
