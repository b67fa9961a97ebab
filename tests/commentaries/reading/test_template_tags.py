import datetime as dt

import pytest
from django.template import engines
from django.utils.safestring import mark_safe
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


CARD = '{% include "includes/card.html" %}'


@pytest.mark.django_db
def test_a_card_escapes_what_it_shows_and_links_the_piece_at_its_level():
    author = AuthorFactory(given_name="C", family_name="<D>", slug="c-d")
    piece = CommentaryFactory(title="Japan & the <ROK>", authors=[author])
    snippet = mark_safe("a <mark>b</mark> &amp; c")  # as search.snippets() makes them
    context = {"commentary": piece, "snippet": snippet, "level": 3}
    card = html.fromstring(DJANGO.from_string(CARD).render(context))
    title = card.xpath("h3[@class='card-title']/a")[0]
    assert (title.text, title.get("href")) == ("Japan & the <ROK>", piece.get_absolute_url())
    assert card.xpath("string(p[@class='byline'])") == "C <D>"
    assert card.xpath("p[@class='meta']/span[@class='number']/text()") == [piece.label]
    assert card.xpath("p[@class='snippet']/mark/text()") == ["b"]
    assert not card.xpath("p[@class='standfirst']")  # a search result shows its snippet


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("summary", "standfirst"),
    [("A summary <in> brief.", "A summary <in> brief."), ("", "Talk <early>")],
)
def test_a_card_carries_the_standfirst_not_the_key_points(summary, standfirst):
    """The summary, or else the first key point alone."""
    piece = CommentaryFactory(summary=summary, key_points=["Talk <early>", "Then more"])
    card = html.fromstring(DJANGO.from_string(CARD).render({"commentary": piece}))
    assert card.xpath("h2[@class='card-title']")
    assert card.xpath("p[@class='standfirst']/text()") == [standfirst]
    assert not card.xpath("ul | p[@class='snippet']")
    assert "Then more" not in card.text_content()
