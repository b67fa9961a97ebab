import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from commentaries.addresses import address


@pytest.fixture
def script_prefix():
    yield set_script_prefix
    set_script_prefix("/")


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("commentaries:detail", {"number": 210, "slug": "japan-korea"}),
        ("commentaries:detail", {"number": 7, "slug": "a_b-2"}),
        ("commentaries:series-detail", {"series": "policy-briefs", "number": 3, "slug": "x"}),
        ("authors:detail", {"slug": "junya-nishino"}),
        ("commentaries:year", {"year": 2015}),
        ("commentaries:year", {"year": 2016}),
    ],
)
def test_the_same_address_as_reverse(name, kwargs):
    assert address(name, **kwargs) == reverse(name, kwargs=kwargs)


def test_each_value_goes_to_its_own_segment():
    # The first call learns the shape from values that could be confused with each other.
    assert address("commentaries:detail", number=12, slug="12") == "/commentaries/12/12/"
    assert address("commentaries:detail", number=5, slug="six") == "/commentaries/5/six/"


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("authors:detail", {"slug": "日韓関係"}),
        ("authors:detail", {"slug": "a/b"}),
        ("authors:detail", {"slug": ""}),
        ("commentaries:year", {"year": -2015}),
    ],
)
def test_values_that_are_not_ints_or_slugs_are_left_to_reverse(name, kwargs):
    address(name, **{key: "x" if key == "slug" else 2015 for key in kwargs})  # a shape is known
    with pytest.raises(NoReverseMatch):
        address(name, **kwargs)


def test_a_script_prefix_has_its_own_shape(script_prefix):
    assert address("authors:detail", slug="nishino") == "/authors/nishino/"
    script_prefix("/think-tank/")
    assert address("authors:detail", slug="nishino") == "/think-tank/authors/nishino/"
