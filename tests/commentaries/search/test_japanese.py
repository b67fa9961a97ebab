"""Search that reads Japanese: words cut by the analyser, in the index and in queries."""

import pytest
from django.core.management import call_command
from django.db import connection

from commentaries import words
from commentaries.models import SearchDocument
from commentaries.search.query import search
from tests.commentaries.search.test_search import message, results
from tests.factories import CommentaryFactory

pytestmark = pytest.mark.django_db

SENTENCE = "日本と韓国の首脳は二国間協力の重要性を強調すべきだ"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def pieces(committed):
    """A Japanese piece with 協力 inside a sentence, an unrelated Japanese piece, and an English
    piece."""
    with committed():
        ja = CommentaryFactory(
            title="日韓首脳会談への期待",
            language="ja",
            body=f"<p>{SENTENCE}。両国の経済関係も深まっている。</p>",
        )
        other = CommentaryFactory(
            title="海洋秩序と法の支配",
            language="ja",
            body="<p>南シナ海では法の支配に基づく海洋秩序が揺らいでいる。</p>",
        )
        en = CommentaryFactory(
            title="Energy security in Asia", body="<p>Supply chains and cooperation.</p>"
        )
    return ja, other, en


def test_a_japanese_run_is_cut_into_its_words():
    assert words.cut(SENTENCE, sep=" ").split() == [
        *"日本 と 韓国 の 首脳 は 二 国 間 協力 の 重要 性 を 強調 す べき だ".split()
    ]
    # English and punctuation are left as they are; cut words join back into the text
    text = f"ASEAN and {SENTENCE}。"
    assert words.text_of(words.cut(text)) == text
    assert words.cut("Japan and Korea") == "Japan and Korea"


@pytest.mark.parametrize(
    ("query", "cut"),
    [
        ("協力", "協力"),
        ("二国間協力", '"二 国 間 協力"'),
        ("二国間協力 -中国", '"二 国 間 協力" -中国'),
        ('"協力の重要性" or Korea', '"協力 の 重要 性" or Korea'),
        ("-海洋秩序", '-"海洋 秩序"'),
        ("ＡＳＥＡＮ ｻﾐｯﾄ", "ASEAN サミット"),
        ("security policy", "security policy"),
    ],
)
def test_queries_are_cut_as_the_text_is(query, cut):
    """A Japanese run becomes a phrase of its words; full-width letters and half-width kana are
    read in their common forms, as the stored text is."""
    assert words.query(query) == cut


@pytest.mark.postgres
def test_a_japanese_word_is_found_inside_a_sentence(client, seed, pieces):
    ja, other, en = pieces
    assert results(client, q="協力") == [ja.title]
    assert results(client, q="二国間協力") == [ja.title]
    assert results(client, q="法の支配") == [other.title]
    assert results(client, q="協力 -韓国") == []
    # a word that is only part of a longer word in the text is not found in it
    assert results(client, q="日韓首") == []
    # English queries still find English pieces by their stems
    assert set(results(client, q="cooperating")) == {en.title, seed.title}


@pytest.mark.postgres
def test_the_stored_vector_holds_japanese_words(pieces):
    ja = pieces[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_to_string(tsvector_to_array(vector), ' ') "
            "FROM commentaries_searchdocument WHERE commentary_id = %s",
            [ja.pk],
        )
        lexemes = set(cursor.fetchone()[0].split())
    assert {"協力", "韓国", "首脳", "強調"} <= lexemes
    assert SENTENCE not in lexemes


def test_highlights_fall_on_the_words_searched_for(client, pieces):
    """On PostgreSQL the headline marks the word (and a phrase as one mark); the fallback marks
    the characters searched for. Readers never see the breaks between words."""
    page = client.get("/search/", {"q": "協力"}).content.decode()
    assert "国間<mark>協力</mark>の重要性" in page
    assert words.WORD_BREAK not in page
    page = client.get("/search/", {"q": "二国間協力"}).content.decode()
    assert "<mark>二国間協力</mark>の重要性" in page


@pytest.mark.postgres
def test_the_headline_marks_whole_words_only(client, committed):
    """力 alone is not a word of 協力: PostgreSQL marks no part of it (the fallback, which
    matches characters, would)."""
    with committed():
        CommentaryFactory(
            language="ja", body="<p>力による現状変更は認められない。協力が必要だ。</p>"
        )
    page = client.get("/search/", {"q": "力"}).content.decode()
    assert "<mark>力</mark>による" in page
    assert "協<mark>力</mark>" not in page


def test_results_cover_every_language_unless_one_is_chosen(client, pieces, committed):
    ja, other, en = pieces
    with committed():
        both = CommentaryFactory(
            title="Security cooperation", body="<p>日米の協力 and security cooperation.</p>"
        )
    assert set(results(client, q="協力")) == {ja.title, both.title}
    assert results(client, q="協力", language="ja") == [ja.title]
    assert results(client, q="協力", language="en") == [both.title]
    # the filter alone lists that language's pieces, newest first
    assert set(results(client, language="ja")) == {ja.title, other.title}
    published = ja.__class__.objects.published()
    assert search(published, "", language="ja") == [other.pk, ja.pk]


@pytest.mark.parametrize("language", ["fr", "JA", "<script>", "ja\x00", "x" * 300])
def test_a_bad_language_gives_a_page_with_a_message(client, pieces, language):
    response = client.get("/search/", {"q": "協力", "language": language})
    assert response.status_code == 200
    assert "Select a valid choice" in message(client, q="協力", language=language)
    assert results(client, q="協力", language=language) == []


def test_the_form_offers_the_languages(client, pieces):
    page = client.get("/search/", {"q": "協力"}).content.decode()
    assert '<option value="ja">日本語</option>' in page
    assert '<option value="en">English</option>' in page


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the fallback is SQLite's")
def test_the_fallback_finds_japanese_by_its_characters(client, pieces):
    """Without PostgreSQL, a search finds the characters searched for anywhere in the text."""
    ja, other, en = pieces
    assert results(client, q="協力") == [ja.title]
    assert results(client, q="二国間協力") == [ja.title]
    assert results(client, q="協力 -韓国") == []
    assert results(client, q="協力", language="en") == []
    document = SearchDocument.objects.get(commentary=ja)
    assert SENTENCE in document.text  # stored as written: no breaks to search across


@pytest.mark.postgres
def test_the_admin_search_reads_japanese_too(admin_client, pieces):
    """Editors search through the same index, with the query cut the same way (on SQLite the
    admin searches titles and names alone)."""
    ja, other, en = pieces
    response = admin_client.get("/admin/commentaries/commentary/", {"q": "協力"})
    assert response.status_code == 200
    assert ja.title in response.content.decode()
    assert other.title not in response.content.decode()


def test_reindex_search_rebuilds_the_documents_of_one_language(pieces):
    """Documents made before Japanese was cut are rebuilt by reindex_search --language ja."""
    ja, other, en = pieces
    SearchDocument.objects.filter(commentary__in=[ja, en]).update(text="stale")
    call_command("reindex_search", language="ja", verbosity=0)
    assert SENTENCE in words.text_of(SearchDocument.objects.get(commentary=ja).text)
    assert SearchDocument.objects.get(commentary=en).text == "stale"
    call_command("reindex_search", verbosity=0)
    assert SearchDocument.objects.get(commentary=en).text != "stale"
