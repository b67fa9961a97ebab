import datetime as dt

import pytest
from django.template import engines
from lxml import html

from tests.factories import AuthorFactory, CommentaryFactory

DJANGO = engines["django"]


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2015, 5, 15, 0, 0, tzinfo=dt.UTC),
        dt.datetime(2015, 5, 15, 15, 30, tzinfo=dt.UTC),  # already the 16th in Tokyo
        dt.datetime(2024, 12, 31, 23, 59, 59, 123456, tzinfo=dt.UTC),
    ],
)
def test_time_element_says_what_the_date_filter_says(moment):
    fast = DJANGO.from_string("{% load reading %}{% time_element moment %}")
    filters = DJANGO.from_string(
        '<time datetime="{{ moment|date:\'c\' }}">{{ moment|date:"j F Y" }}</time>'
    )
    assert fast.render({"moment": moment}) == filters.render({"moment": moment})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Junya Nishino"], "Junya Nishino"),
        (["A B", "C <D>"], "A B and C <D>"),
        (["A B", "C D", "E F"], "A B, C D and E F"),
    ],
)
def test_byline_links_each_author_as_the_plain_byline_names_them(names, expected):
    authors = [
        AuthorFactory(given_name=given, family_name=family, slug=f"author-{n}")
        for n, (given, family) in enumerate(name.split(" ", 1) for name in names)
    ]
    piece = CommentaryFactory(authors=authors)
    rendered = DJANGO.from_string("{% load reading %}{% byline piece %}").render({"piece": piece})
    links = html.fromstring(f"<p>{rendered}</p>").xpath("//a")
    assert [link.text for link in links] == names
    assert [link.get("href") for link in links] == [a.get_absolute_url() for a in authors]
    assert html.fromstring(f"<p>{rendered}</p>").text_content() == expected == piece.byline
