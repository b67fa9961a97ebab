import datetime as dt

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from authors.models import Author, NameOrder
from commentaries.models import Authorship, Commentary, KeyPoint, Series


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Test Series {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    publisher = "The Test Institute"


PASSWORD = "a-Pass-12345"


def staff_member(username, group):
    """A staff account in one of the roles the migrations make (Editors, Contributors)."""
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def primary_series():
    """The primary series, made when the database has none: tests need not rely on the seed."""
    series, _ = Series.objects.get_or_create(
        is_primary=True,
        defaults={
            "name": "AJISS-Commentary",
            "slug": "ajiss-commentary",
            "publisher": "The Japan Institute of International Affairs",
        },
    )
    return series


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    honorific = "Dr."
    given_name = factory.Sequence(lambda n: f"Jane{n}")
    family_name = "Smith"
    name_order = NameOrder.GIVEN_FIRST
    slug = factory.LazyAttribute(lambda o: f"{o.given_name}-{o.family_name}".lower())
    position = "Senior Fellow"
    affiliation = "The Test Institute"
    bio = "<p>A current biography.</p>"


PUBLIC_STATES = (Commentary.Status.PUBLISHED, Commentary.Status.WITHDRAWN)


class CommentaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commentary
        skip_postgeneration_save = True

    series = factory.LazyFunction(primary_series)
    number = factory.Sequence(lambda n: 1000 + n)
    title = factory.Sequence(lambda n: f"Test commentary {n}")
    slug = factory.LazyAttribute(lambda o: f"test-commentary-{o.number}")
    status = Commentary.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    published_at_set_by_hand = True  # a factory piece is dated as given, published or not
    # The state as the publishing services would have left it (Commentary.save() keeps none).
    first_published_at = factory.LazyAttribute(
        lambda o: o.published_at if o.status in PUBLIC_STATES else None
    )
    release = factory.LazyAttribute(lambda o: int(o.status in PUBLIC_STATES))
    withdrawn_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == Commentary.Status.WITHDRAWN else None
    )
    body = "<p>First paragraph.</p>\n<p>Second paragraph.</p>"

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        for position, author in enumerate(extracted or [], 1):
            AuthorshipFactory(commentary=self, author=author, position=position)

    @factory.post_generation
    def key_points(self, create, extracted, **kwargs):
        for position, text in enumerate(extracted or [], 1):
            KeyPoint.objects.create(commentary=self, position=position, text=text)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if extracted:
            self.tags.add(*extracted)


class AuthorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authorship

    commentary = factory.SubFactory(CommentaryFactory)
    author = factory.SubFactory(AuthorFactory)
    position = 1
    position_title = "Fellow"
    affiliation = "The Test Institute"
    bio = "<p>The bio as published.</p>"


def full_commentary(*, authors=1, key_points=10, topics=8, **kwargs):
    """A published commentary with the given numbers of authors, key points and topics."""
    return CommentaryFactory(
        authors=AuthorFactory.create_batch(authors),
        key_points=[f"Key point {i}" for i in range(key_points)],
        topics=[f"topic {i}" for i in range(topics)],
        **kwargs,
    )


def japanese_edition(original, **fields):
    """A public Japanese translation of `original` (No.210 in most tests), in the tests' own
    words."""
    return CommentaryFactory(
        **{
            "series": original.series,
            "number": original.number,
            "language": "ja",
            "original": original,
            "title": "日韓の首脳は二国間協力の大切さを語るべきだ",
            "slug": "nikkan-kyoryoku",
            "body": "<p>両国の首脳は、協力の意義を自らの言葉で国民に伝える必要がある。</p>",
            "published_at": original.published_at,
            **fields,
        }
    )
