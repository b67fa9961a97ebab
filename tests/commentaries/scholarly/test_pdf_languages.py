"""A PDF per edition, typeset for its language: its own address and file name, <html lang>
and the file's language, the labels and date in that language, and Japanese line-breaking."""

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from commentaries.scholarly import pdf
from tests.commentaries.scholarly.conftest import pdf_text
from tests.factories import CommentaryFactory

pytestmark = pytest.mark.django_db
PUBLISHED = dt.datetime(2015, 5, 15, 1, 0, tzinfo=dt.UTC)  # 10:00 in Tokyo
# Written for this test: small kana, long-vowel marks and closing punctuation all through, so
# that a line can only avoid starting with one if the line-breaking keeps them off.
JA_PARAGRAPH = (
    "ちょっとしたシャッター音のニュースが、キャッシュレス決済のジョッキーを驚かせた。"
    "「チョコレートとコーヒー」ーーその組み合わせは、ぎゅっと凝縮された一杯だった。"
)
# What a line must not start with under strict Japanese line-breaking (JIS X 4051).
NO_LINE_START = set("ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー。、」）・！？")


@pytest.fixture
def editions():
    english = CommentaryFactory(
        number=9040,
        title="Port cooperation across the Sea of Japan",
        published_at=PUBLISHED,
        key_points=["Harbours can share weather data."],
    )
    japanese = CommentaryFactory(
        number=9040,
        language="ja",
        original=english,
        translator="山田花子",
        title="日本海をはさむ港湾の協力",
        published_at=PUBLISHED,
        key_points=["港湾は気象の情報を共有できる。"],
        # Each paragraph shifted by one more character, so the lines break at every place.
        body="".join(f"<p>{'あ' * shift}{JA_PARAGRAPH * 2}</p>" for shift in range(16)),
    )
    return english, japanese


def fetch(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response, b"".join(response.streaming_content)


def test_each_edition_has_its_own_pdf_at_its_own_address(client, editions):
    english, japanese = editions
    response, data = fetch(client, "/ja/commentaries/9040/pdf/")
    assert 'filename="ajiss-commentary-9040-ja.pdf"' in response["Content-Disposition"]
    text = pdf_text(data)
    assert japanese.title in text and english.title not in text
    assert "/ja/commentaries/9040/" in text  # its own address, printed at its foot

    response, data = fetch(client, "/commentaries/9040/pdf/")
    assert 'filename="ajiss-commentary-9040.pdf"' in response["Content-Disposition"]
    text = pdf_text(data)
    assert english.title in text and japanese.title not in text
    assert client.get("/ja/commentaries/210/pdf/").status_code == 404  # no Japanese edition


def test_the_japanese_pdf_is_typeset_in_japanese(editions):
    _, japanese = editions
    data = pdf.render_and_store(japanese.pk).file.read()
    reader = PdfReader(io.BytesIO(data))
    assert reader.trailer["/Root"]["/Lang"] == "ja"  # from <html lang>
    xmp = reader.xmp_metadata.dc_language
    assert xmp == ["ja"]
    text = pdf_text(data)
    assert "2015年5月15日" in text  # the date in Japanese, rendered under the edition's language
    assert "翻訳：山田花子" in text  # the translator, labelled in Japanese
    assert "要旨" in text and "Key points" not in text


def test_the_english_pdf_stays_english(editions):
    english, _ = editions
    data = pdf.render_and_store(english.pk).file.read()
    reader = PdfReader(io.BytesIO(data))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "15 May 2015" in pdf_text(data)


def test_japanese_lines_never_start_with_closing_punctuation_or_small_kana(editions):
    _, japanese = editions
    data = pdf.render_and_store(japanese.pk).file.read()
    lines = [
        line.strip()
        for page in PdfReader(io.BytesIO(data)).pages
        for line in page.extract_text().splitlines()
    ]
    body = [line for line in lines if re.search(r"[ぁ-ゖァ-ヺー]", line)]
    assert len(body) > 10  # the paragraphs run over many lines
    assert [line for line in body if line[0] in NO_LINE_START] == []
