from authors.models import Author, NameOrder


def test_family_first_names():
    """The seed's convention: byline given-first, formal name family name first in capitals."""
    author = Author(
        honorific="Dr.",
        given_name="Junya",
        family_name="Nishino",
        name_order=NameOrder.FAMILY_FIRST,
    )
    assert author.byline_name == "Junya Nishino"
    assert author.formal_name == "Dr. NISHINO Junya"


def test_given_first_names():
    author = Author(
        honorific="Dr.", given_name="Jane", family_name="Smith", name_order=NameOrder.GIVEN_FIRST
    )
    assert author.byline_name == "Jane Smith"
    assert author.formal_name == "Dr. Jane Smith"


def test_no_honorific():
    author = Author(given_name="Ken", family_name="Tanaka", name_order=NameOrder.FAMILY_FIRST)
    assert author.formal_name == "TANAKA Ken"
