import pytest
from django.test import RequestFactory
from lxml import html

from config import urls
from web.errors import server_error


def test_server_error_page_needs_no_database_or_request_context():
    """Without the db fixture any query fails the test: the 500 page must make none."""
    assert urls.handler500 == "web.errors.server_error"
    response = server_error(RequestFactory().get("/anything/"))
    assert response.status_code == 500
    page = html.fromstring(response.content)
    assert page.xpath("//h1/text()") == ["Something went wrong"]
    assert page.xpath("//a[@class='site-name']/text()") == ["AJISS-Commentary"]
    assert page.xpath("//link[@rel='stylesheet']/@href") == ["/static/css/site.css"]


@pytest.mark.django_db
def test_not_found_page_in_the_site_design(client):
    response = client.get("/commentaries/99999/")
    assert response.status_code == 404
    page = html.fromstring(response.content)
    assert page.xpath("//h1/text()") == ["Page not found"]
    assert page.xpath("//a[@class='skip-link']/@href") == ["#main"]
    assert "/commentaries/210/" in page.xpath("//main//a/@href")
    assert page.xpath("//meta[@name='robots']/@content") == ["noindex"]
