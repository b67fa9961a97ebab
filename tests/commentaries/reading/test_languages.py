"""The site in each language: the main language (SITE_LANGUAGE) at today's addresses, the others
under their prefix (/ja/...), the language told by the path alone."""

import re

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from commentaries.addresses import address
from commentaries.caching.frontcache import PUBLIC_PAGES
from commentaries.caching.pages import page_rules
from commentaries.pages.models import Page
from tests.config.test_settings import production_env, python_says, run
from tests.factories import japanese_edition
from web.errors import server_error

pytestmark = pytest.mark.django_db


def html_lang(response):
    return lxml.html.fromstring(response.content).get("lang")


@pytest.mark.parametrize(
    ("path", "language"),
    [("/", "en"), ("/commentaries/", "en"), ("/ja/", "ja"), ("/ja/commentaries/", "ja")],
)
def test_each_language_answers_at_its_addresses(client, seed, path, language):
    response = client.get(path)
    assert response.status_code == 200
    assert html_lang(response) == language
    assert response["Content-Language"] == language


def test_the_main_language_keeps_todays_addresses(client, seed):
    """No.210 stays where it always was; the main language has no prefix of its own."""
    assert seed.get_absolute_url().startswith("/commentaries/210/political-leaders-in-japan-")
    assert client.get("/commentaries/210/").status_code == 301
    assert client.get(seed.get_absolute_url()).status_code == 200
    assert client.get("/en/").status_code == 404
    assert client.get("/en/commentaries/").status_code == 404


def test_addresses_are_made_in_the_active_language(seed):
    """reverse() and the memo of address() give the active language's address, each time."""
    assert address("commentaries:year", year=2015) == "/archive/2015/"
    with translation.override("ja"):
        assert reverse("commentaries:home") == "/ja/"
        assert address("commentaries:year", year=2015) == "/ja/archive/2015/"
        assert address("authors:detail", slug="junya-nishino") == "/ja/authors/junya-nishino/"
    assert address("commentaries:year", year=2015) == "/archive/2015/"
    assert address("authors:detail", slug="junya-nishino") == "/authors/junya-nishino/"


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ACCEPT_LANGUAGE": "ja"},
        {"HTTP_COOKIE": "django_language=ja"},
        {"HTTP_ACCEPT_LANGUAGE": "ja", "HTTP_COOKIE": "django_language=ja"},
    ],
)
def test_only_the_path_tells_the_language(client, seed, headers):
    """A Japanese browser, or a language cookie, gets the same English page at an English
    address: no redirect, and nothing for a shared cache to vary on."""
    response = client.get("/", **headers)
    assert response.status_code == 200
    assert (html_lang(response), response["Content-Language"]) == ("en", "en")
    assert "Vary" not in response or not re.search(
        r"accept-language|cookie", response["Vary"], re.IGNORECASE
    )
    japanese = client.get("/ja/", HTTP_ACCEPT_LANGUAGE="en")
    assert (html_lang(japanese), japanese["Content-Language"]) == ("ja", "ja")
    assert "accept-language" not in japanese.get("Vary", "").lower()


@pytest.mark.parametrize(
    "path", ["/oai/?verb=Identify", "/sitemap.xml", "/robots.txt", "/healthz"]
)
def test_machines_addresses_have_no_language(client, seed, path):
    assert client.get(path).status_code == 200
    assert client.get("/ja" + path, follow=True).status_code == 404


def test_each_language_is_kept_apart_in_the_page_cache(client, seed, django_assert_num_queries):
    """Both languages' pages are kept, each under its own address with its own headers."""
    english, japanese = client.get("/archive/"), client.get("/ja/archive/")
    assert page_rules("/ja/archive/") is not None and page_rules("/ja/no/such/") is None
    with django_assert_num_queries(2):  # the content generation, once a page: both kept
        again_english, again_japanese = client.get("/archive/"), client.get("/ja/archive/")
    assert again_english.content == english.content
    assert again_japanese.content == japanese.content != english.content
    assert again_japanese["Content-Language"] == "ja"
    assert again_english["Content-Language"] == "en"


def test_a_front_cache_ban_reaches_every_language(seed):
    for path in [seed.get_absolute_url(), "/ja" + seed.get_absolute_url(), "/ja/", "/"]:
        assert re.match(PUBLIC_PAGES, path), path


@pytest.mark.parametrize("slug", ["ja", "en", "JA"])
def test_a_language_code_is_not_a_page_address(slug):
    page = Page(title="Japanese", slug=slug, body="<p>Text.</p>")
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert "slug" in refused.value.message_dict


def test_site_language_chooses_the_language_without_a_prefix():
    """With SITE_LANGUAGE=ja, Japanese has today's addresses and English moves under /en/."""
    env = production_env(SITE_LANGUAGE="ja")
    code = (
        "from django.urls import reverse; from django.utils import translation; "
        "print(settings.LANGUAGE_CODE, reverse('commentaries:home'), end=' '); "
        "translation.activate('en'); print(reverse('commentaries:home'))"
    )
    assert python_says(code, env) == "ja / /en/"


def test_site_language_must_be_one_of_the_languages():
    result = run("manage.py", "check", env=production_env(SITE_LANGUAGE="fr"))
    assert result.returncode != 0
    assert "SITE_LANGUAGE must be one of en, ja; it is 'fr'." in result.stderr


def switch_links(response):
    page = lxml.html.fromstring(response.content)
    (switch,) = page.xpath("//header[@class='site-header']//nav[@class='language-switch']")
    return [(a.get("href"), a.get("hreflang"), a.get("lang"), a.text) for a in switch.iter("a")]


@pytest.mark.parametrize(
    ("path", "link"),
    [
        ("/", ("http://testserver/ja/", "ja", "ja", "日本語")),
        ("/archive/", ("http://testserver/ja/archive/", "ja", "ja", "日本語")),
        ("/no-such-page/", ("/ja/", "ja", "ja", "日本語")),  # nowhere: the home
        ("/ja/", ("http://testserver/", "en", "en", "English")),
        ("/ja/topics/", ("http://testserver/topics/", "en", "en", "English")),
        ("/ja/no-such-page/", ("/", "en", "en", "English")),
    ],
)
def test_the_switch_leads_to_the_same_page_in_the_other_language(client, seed, path, link):
    assert switch_links(client.get(path)) == [link]


def test_the_switch_reads_alternates_and_falls_back_to_the_home():
    """With `alternates` (the page in every language that has it), the switch links to the
    other language's entry; the page's own entry is not offered."""
    alternates = [
        ("en", "https://example.org/commentaries/300/bilateral-ties/"),
        ("ja", "https://example.org/ja/commentaries/300/nikkan-kankei/"),
    ]
    switch = Template("{% load languages %}{% language_switch %}")
    html = switch.render(Context({"alternates": alternates}))
    assert 'href="https://example.org/ja/commentaries/300/nikkan-kankei/"' in html
    assert "example.org/commentaries/300/" not in html
    with translation.override("ja"):
        html = switch.render(Context({"alternates": alternates}))
    assert 'href="https://example.org/commentaries/300/bilateral-ties/"' in html
    assert 'hreflang="en" lang="en">English</a>' in html


def test_the_server_error_page_is_in_the_addresss_language(rf):
    with translation.override("ja"):
        response = server_error(rf.get("/ja/"))
    page = lxml.html.fromstring(response.content)
    assert page.get("lang") == "ja"
    assert page.xpath("//h1/text()") == ["エラーが発生しました"]
    assert page.xpath("//nav[@class='language-switch']//a/@href") == ["/"]


@pytest.fixture
def editions(seed, django_capture_on_commit_callbacks):
    """No.210 in English (the seed) and a Japanese translation of it, indexed for search."""
    with django_capture_on_commit_callbacks(execute=True):
        translation = japanese_edition(seed)
    return seed, translation


def test_the_switch_goes_between_a_pieces_editions_both_ways(client, editions):
    english, japanese = editions
    base = "http://testserver"
    assert switch_links(client.get(english.get_absolute_url())) == [
        (base + japanese.get_absolute_url(), "ja", "ja", "日本語")
    ]
    assert switch_links(client.get(japanese.get_absolute_url())) == [
        (base + english.get_absolute_url(), "en", "en", "English")
    ]


def test_what_the_copy_link_button_says_is_in_the_pages_language(client, editions):
    """share.js writes what the button's data attributes say, translated with the page."""
    for edition, copied, failed in [
        (editions[0], "Link copied", "Could not copy: use the address bar"),
        (
            editions[1],
            "リンクをコピーしました",
            "コピーできませんでした。アドレスバーのURLをお使いください",
        ),
    ]:
        page = lxml.html.fromstring(client.get(edition.get_absolute_url()).content)
        (button,) = page.xpath("//li[@data-copy-link]/button")
        assert (button.get("data-copied"), button.get("data-failed")) == (copied, failed)


def test_a_passage_in_another_language_carries_its_own(client, editions):
    """Search results on a Japanese page list English pieces too: each English card's title
    and text say they are English; the Japanese edition's say nothing (the page's language)."""
    english, japanese = editions

    def titles(query):
        page = lxml.html.fromstring(client.get("/ja/search/", {"q": query}).content)
        cards = page.xpath("//*[@class='card-title']")
        return [(card.get("lang"), card.xpath("string(a)")) for card in cards]

    assert titles("ROK") == [("en", english.title)]
    assert titles("首脳") == [(None, japanese.title)]
