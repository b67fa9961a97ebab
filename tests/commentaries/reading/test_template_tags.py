import datetime as dt

import pytest
from django.template import engines

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
