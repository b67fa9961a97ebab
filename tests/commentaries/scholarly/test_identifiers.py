import pytest
from django.core.exceptions import ValidationError

from authors.orcid import orcid_check_digit, validate_orcid
from commentaries.identifiers import validate_doi
from tests.factories import AuthorFactory, CommentaryFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("doi", ["10.99999/ajiss.210", "10.1000/xyz-123_(2015)", "10.12345.6/a/b"])
def test_dois_accepted(doi):
    validate_doi(doi)


@pytest.mark.parametrize(
    "doi", ["not-a-doi", "10.99/short-registrant", "11.99999/x", "10.99999/", "10.99999/a b"]
)
def test_dois_refused(doi):
    with pytest.raises(ValidationError):
        validate_doi(doi)


def test_orcid_check_digit():
    assert orcid_check_digit("000000021825009") == "7"  # ORCID's documented example
    assert orcid_check_digit("000000021694233") == "X"
    validate_orcid("0000-0002-1825-0097")
    validate_orcid("0000-0002-1694-233X")
    for bad in ("0000-0002-1825-0098", "0000000218250097", "0000-0002-1825-009"):
        with pytest.raises(ValidationError):
            validate_orcid(bad)


def test_commentary_doi_is_validated_normalised_and_unique(seed):
    seed.doi = "https://doi.org/10.99999/AJISS.210"
    seed.full_clean()
    assert seed.doi == "10.99999/ajiss.210"
    seed.save()
    other = CommentaryFactory()
    other.doi = "10.99999/ajiss.210"
    with pytest.raises(ValidationError) as raised:
        other.full_clean()
    assert "doi" in raised.value.message_dict
    other.doi = "not-a-doi"
    with pytest.raises(ValidationError) as raised:
        other.full_clean()
    assert "doi" in raised.value.message_dict
    other.doi = ""
    other.full_clean()
    assert other.doi is None  # many pieces without a DOI


def test_author_orcid_is_validated_with_its_check_digit():
    author = AuthorFactory(orcid="")
    author.orcid = "https://orcid.org/0000-0002-1825-0097"
    author.full_clean()
    assert author.orcid == "0000-0002-1825-0097"
    author.orcid = "0000-0002-1825-0098"
    with pytest.raises(ValidationError) as raised:
        author.full_clean()
    assert "check digit" in str(raised.value.message_dict["orcid"])
