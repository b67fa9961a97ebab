import pytest
from django.contrib.auth.models import User

from authors.models import Author
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def test_author_bio_is_rich_text_cleaned_on_save(client, seed):
    client.force_login(User.objects.create_superuser("ed", "ed@example.org", "a-Pass-12345"))
    author = Author.objects.get(slug="junya-nishino")
    url = f"/admin/authors/author/{author.pk}/change/"
    page = client.get(url)
    assert b"data-django-prose-editor" in page.content
    data = form_data(page, "author_form")
    data["bio"] = (
        '<p>Professor <em>emeritus</em><script>alert(1)</script></p><p onclick="x()">Keio</p>'
    )
    assert client.post(url, data).status_code == 302
    author.refresh_from_db()
    assert author.bio == "<p>Professor <em>emeritus</em></p><p>Keio</p>"
