"""Bulk, realistic published commentaries for measuring the site at size (`make bench`).

Each piece has a body of about 900 words (a third of the pieces are in Japanese: about 2,500
characters of sentences made from a Japanese vocabulary of the same shape; half of those, a sixth
of all, are the Japanese editions of the English piece before them, with its number, authors and
topics, and a translator), three key points, one to three authors from a pool of
thousands and three topics from a few hundred, some far commoner than others; publication
times spread over the years before now, numbers rising with time after the series' highest. Rows go in with bulk inserts, so no
save signals run: the command writes what the signals and the event clock would have written
(search documents, release 1 and its "public" event, so the worker does not announce the whole
generated archive) and leaves revisions alone (a piece without one gets it when next edited).
Each batch sends events.loaded, which queues the pieces' PDF editions, unless --without-pdfs.
"""

import itertools
import random
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem
from tqdm import tqdm

from authors.models import Author, AuthorName, NameOrder
from commentaries.models import (
    Authorship,
    Commentary,
    KeyPoint,
    SearchDocument,
    Series,
)
from commentaries.publishing import events
from commentaries.publishing.models import PublicationEvent
from commentaries.words import compatible, cut, for_vector

BATCH = 1000
YEARS = 25

# A Zipf-like vocabulary: a few words in nearly every piece, a long tail found in a few.
COMMON = (
    "the of and to in a is that for on as with by be this it are from at an not or its which "
    "has have will their more than but was policy security government international "
    "cooperation economic relations region regional political leaders countries country "
    "between trade alliance military development strategy national public global power "
    "support future years recent issues important new also would could should must"
).split()
THEMES = (
    "japan korea china united states asean india australia taiwan russia europe pacific "
    "indo-pacific maritime nuclear deterrence diplomacy summit treaty energy climate "
    "semiconductor supply chain investment tariff sanction minister parliament election "
    "constitution defense coast guard island territory fisheries migration demography "
    "technology cyber space satellite infrastructure finance currency inflation growth "
    "reform agriculture pandemic health aid humanitarian history apology reconciliation"
).split()
SYLLABLES = "ka ri mo to na shi ra ve lo um ta ne ko sa pi du re gan tor mel vis qua".split()
GIVEN = (
    "Junya Yuki Haruto Aiko Kenji Mei Hiroshi Sakura Takeshi Emi Daniel Maria James Anna "
    "Wei Min-jun Seo-yeon Priya Arjun Olivia Lucas Sofia Chen Li Ahmad Siti Nguyen Ivan "
    "Elena Thomas Claire Rahul Fatima Kofi Amara Jonas Ingrid Mateo Lucia"
).split()
FAMILY = (
    "Nishino Tanaka Suzuki Takahashi Watanabe Ito Yamamoto Nakamura Kobayashi Kato Kim Lee "
    "Park Choi Jung Wang Zhang Liu Smith Johnson Brown Garcia Muller Rossi Dubois Singh "
    "Sharma Nguyen Tran Santos Ivanova Okafor Mensah Larsen Novak Haddad Kowalski Silva"
).split()
HONORIFICS = ["", "", "Dr.", "Prof.", "Mr.", "Ms."]
# The names above that are Japanese, as Japanese prints them (family name first): an author with
# both has a name in Japanese.
KANJI = {
    "Junya": "純也", "Yuki": "由紀", "Haruto": "陽翔", "Aiko": "愛子", "Kenji": "健二",
    "Mei": "芽衣", "Hiroshi": "浩", "Sakura": "さくら", "Takeshi": "武", "Emi": "恵美",
    "Nishino": "西野", "Tanaka": "田中", "Suzuki": "鈴木", "Takahashi": "高橋",
    "Watanabe": "渡辺", "Ito": "伊藤", "Yamamoto": "山本", "Nakamura": "中村",
    "Kobayashi": "小林", "Kato": "加藤",
}  # fmt: skip
TRANSLATORS = ["山口遥", "森田健太", "石川美穂", "松本大輝"]

# Japanese of the same shape: common nouns in nearly every piece, themes, a long tail of rare
# katakana words, joined by particles into sentences that end in a predicate.
COMMON_JA = (
    "日本 政府 政策 安全保障 協力 経済 地域 関係 首脳 外交 同盟 国際社会 課題 戦略 重要性 "
    "役割 影響 問題 対話 信頼 安定 平和 発展 貿易 投資 技術 国家 国民 将来 現状 議論 立場 "
    "方針 枠組み 連携 責任 利益 姿勢 努力 取り組み"
).split()
THEMES_JA = (
    "韓国 中国 米国 東南アジア インド 豪州 台湾 ロシア 欧州 太平洋 海洋 核 抑止 首脳会談 "
    "条約 エネルギー 気候変動 半導体 供給網 関税 制裁 首相 国会 選挙 憲法 防衛 海上保安 "
    "領土 漁業 移民 人口 サイバー 宇宙 衛星 インフラ 金融 通貨 物価 成長 改革 農業 "
    "感染症 人道支援 歴史 和解"
).split()
KANA = "カ リ モ ト ナ シ ラ ヴェ ロ ウム タ ネ コ サ ピ ドゥ レ ガン トル メル ヴィ クア".split()
PARTICLES = ["の", "と", "は", "を", "が", "に", "における", "による", "への", "も"]
PREDICATES = (
    "を強化すべきだ を重視している を進めるべきである が求められている は欠かせない "
    "が高まっている が議論された に注目が集まる が課題となっている を見直す必要がある "
    "を支えている に取り組んできた が問われている を後押しする"
).split()


def rare_words(rng, n):
    return sorted({"".join(rng.choices(SYLLABLES, k=rng.randint(3, 4))) for _ in range(n)})


def zipf(rng, n):
    """Cumulative weights for drawing among n topics as archives use them (Zipf's law): of
    300 topics over 100,000 pieces, the commonest is on 41,000, the median on 345, the rarest
    on 130; which topic is which is drawn."""
    ranks = list(range(1, n + 1))
    rng.shuffle(ranks)
    return list(itertools.accumulate(1 / rank for rank in ranks))


def draw_topics(rng, tags, popularity, k=3):
    """k different topics, each drawn by its popularity (zipf())."""
    topics = []
    while len(topics) < min(k, len(tags)):
        (topic,) = rng.choices(tags, cum_weights=popularity)
        if topic not in topics:
            topics.append(topic)
    return topics


class Text:
    """Sentences drawn from one weighted vocabulary."""

    def __init__(self, rng):
        self.rng = rng
        rare = rare_words(rng, 20000)
        self.words = COMMON + THEMES + rare
        weights = (
            [400 / (i + 1) ** 0.3 for i in range(len(COMMON))]
            + [6.0] * len(THEMES)
            + [200 / (i + 10) for i in range(len(rare))]
        )
        self.cumulative = []
        total = 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    def words_(self, k):
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=k)

    def sentence(self, k=None):
        words = self.words_(k or self.rng.randint(12, 28))
        return " ".join(words).capitalize() + "."

    def paragraphs(self, total_words):
        paragraphs, written = [], 0
        while written < total_words:
            sentences = [self.sentence() for _ in range(self.rng.randint(3, 6))]
            written += sum(s.count(" ") + 1 for s in sentences)
            paragraphs.append(" ".join(sentences))
        return paragraphs


class JapaneseText(Text):
    """Japanese sentences drawn from one weighted vocabulary, the same way."""

    def __init__(self, rng):
        self.rng = rng
        rare = sorted({"".join(rng.choices(KANA, k=rng.randint(3, 4))) for _ in range(20000)})
        self.words = COMMON_JA + THEMES_JA + rare
        weights = (
            [400 / (i + 1) ** 0.3 for i in range(len(COMMON_JA))]
            + [6.0] * len(THEMES_JA)
            + [200 / (i + 10) for i in range(len(rare))]
        )
        self.cumulative = list(itertools.accumulate(weights))

    def sentence(self, k=None):
        """About k words: nouns joined by particles, ending in a predicate."""
        nouns = self.words_(max(2, (k or self.rng.randint(12, 28)) // 2))
        joined = "".join(n + self.rng.choice(PARTICLES) for n in nouns[:-1])
        return f"{joined}{nouns[-1]}{self.rng.choice(PREDICATES)}。"

    def paragraphs(self, total_words):
        """As many characters as an English text of total_words words is long in Japanese."""
        paragraphs, written = [], 0
        while written < total_words * 2.8:
            paragraph = "".join(self.sentence() for _ in range(self.rng.randint(3, 6)))
            written += len(paragraph)
            paragraphs.append(paragraph)
        return paragraphs


class Command(BaseCommand):
    help = "Bulk-insert N realistic published commentaries (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="How many pieces.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--series", help="Slug of the series to add to (default: the primary one)."
        )
        # A small archive shaped like a page of a big one (make bench's 20 pieces, all by one
        # author, on the same topics, within a month) takes these three.
        parser.add_argument(
            "--authors", type=int, help="Authors to draw from (default: count/30, 20 to 3,000)."
        )
        parser.add_argument(
            "--topics", type=int, help="Topics to draw from (default: count/10, 10 to 300)."
        )
        parser.add_argument(
            "--days",
            type=int,
            default=365 * YEARS,
            help=f"Days the publication times spread over (default {365 * YEARS}).",
        )
        parser.add_argument(
            "--without-pdfs",
            action="store_true",
            help="Queue no PDF editions (a benchmark's archive needs none; render_pdfs --missing "
            "renders them later). Where tasks run at once (make run), each takes about a second.",
        )

    def handle(
        self, *, count, seed, series, authors, topics, days, without_pdfs, verbosity, **options
    ):
        if count < 0:
            raise CommandError("--count must be 0 or more.")
        for name, value in (("--authors", authors), ("--topics", topics), ("--days", days)):
            if value is not None and value < 1:
                raise CommandError(f"{name} must be 1 or more.")
        rng = random.Random(seed)
        texts = {"en": Text(rng), "ja": JapaneseText(rng)}
        text = texts["en"]
        series_ = self.series(series)
        start = (Commentary.objects.filter(series=series_).aggregate(n=Max("number"))["n"]) or 0
        with transaction.atomic():
            authors = self.authors(rng, text, authors or max(20, min(3000, count // 30)))
            tags = self.tags(rng, topics or min(300, max(10, count // 10)))
        popularity = zipf(rng, len(tags))
        now = timezone.now()
        span = timedelta(days=days).total_seconds()
        # Rising numbers, rising times: piece i of n at its share of the span, up to an hour ago.
        step = span / max(count, 1)
        content_type = ContentType.objects.get_for_model(Commentary)
        progress = tqdm(total=count, unit="piece", disable=verbosity == 0)
        previous = None  # the piece before, which a translation translates
        for first in range(0, count, BATCH):
            size = min(BATCH, count - first)
            with transaction.atomic():
                pieces = []
                for i in range(first, first + size):
                    published = now - timedelta(hours=1, seconds=span - i * step)
                    language = "ja" if i % 3 == 2 else "en"  # a third in Japanese
                    # Every other Japanese piece is the edition of the English one before it
                    # (i % 3 == 1), published later, with its number.
                    original = previous if i % 6 == 5 else None
                    text = texts[language]
                    title = text.sentence(rng.randint(6, 12)).rstrip(".。")
                    slug = slugify(title)[:80].rstrip("-") or "commentary"
                    piece = Commentary(
                        language=language,
                        series=series_,
                        number=start + 1 + i - (i + 1) // 6,  # translations take no number
                        original=original,
                        translator=rng.choice(TRANSLATORS) if original else "",
                        title=title,
                        slug=original.slug if original else slug,
                        status=Commentary.Status.PUBLISHED,
                        published_at=published,
                        first_published_at=published,
                        release=1,
                        body="".join(f"<p>{p}</p>" for p in text.paragraphs(900)),
                    )
                    pieces.append(piece)
                    previous = piece
                # Originals first: their translations (in this batch too) point at them.
                Commentary.objects.bulk_create([p for p in pieces if p.original is None])
                Commentary.objects.bulk_create([p for p in pieces if p.original is not None])
                self.parts(rng, texts, pieces, authors, tags, popularity, content_type, now)
                if not without_pdfs:
                    events.loaded.send(sender=Commentary, pks=[piece.pk for piece in pieces])
            progress.update(size)
        progress.close()
        if connection.vendor == "postgresql":
            # As after any bulk load: planner statistics for the new rows (until autovacuum gets
            # round to it, PostgreSQL plans the lists and searches for an empty archive), and the
            # dead row versions that building the search documents left cleared, with the
            # visibility map set. Where autovacuum is off, nothing else would: every search then
            # visited each search document twice. VACUUM cannot run inside a caller's
            # transaction (call_command in an atomic block): there, the statistics only.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")

    def series(self, slug):
        series = (
            Series.objects.filter(slug=slug) if slug else Series.objects.filter(is_primary=True)
        )
        if not (found := series.first()):
            raise CommandError(f"No series {slug!r}." if slug else "There is no primary series.")
        return found

    def authors(self, rng, text, n):
        known = Author.objects.count()  # slugs after those of earlier runs
        made = []
        for i in range(n):
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            made.append(
                Author(
                    honorific=rng.choice(HONORIFICS),
                    given_name=given,
                    family_name=family,
                    name_order=rng.choice(list(NameOrder)),
                    slug=f"{slugify(given)}-{slugify(family)}-{known + i}",
                    position=rng.choice(["Professor", "Senior Fellow", "Research Fellow"]),
                    affiliation=rng.choice(["University of Tokyo", "JIIA", "Keio University"]),
                    bio=f"<p>{text.sentence()} {text.sentence()}</p>",
                )
            )
        made = Author.objects.bulk_create(made, batch_size=BATCH)
        AuthorName.objects.bulk_create(
            AuthorName(
                author=author,
                language="ja",
                name=KANJI[author.family_name] + KANJI[author.given_name],
            )
            for author in made
            if author.given_name in KANJI and author.family_name in KANJI
        )
        return made

    def tags(self, rng, n):
        """Topics shared with earlier runs where the names meet."""
        names = sorted({" ".join(rng.sample(THEMES, 2)).title() for _ in range(n * 2)})[:n]
        Tag.objects.bulk_create(
            [Tag(name=name, slug=slugify(name)) for name in names], ignore_conflicts=True
        )
        return list(Tag.objects.filter(name__in=names).order_by("name"))

    def parts(self, rng, texts, pieces, authors, tags, popularity, content_type, now):
        key_points, authorships, tagged, events, documents = [], [], [], [], []
        for piece in pieces:
            text = texts[piece.language]
            points = [text.sentence(rng.randint(15, 30)) for _ in range(3)]
            key_points += [
                KeyPoint(commentary=piece, position=n, text=p) for n, p in enumerate(points)
            ]
            if piece.original is None:
                written_by = rng.sample(authors, min(len(authors), rng.choice([1, 1, 1, 2, 2, 3])))
                topics = draw_topics(rng, tags, popularity)
            else:  # a translation: its original's, which came just before it
                written_by, topics = self.last_drawn
            self.last_drawn = written_by, topics
            authorships += [
                Authorship(
                    commentary=piece,
                    author=a,
                    position=n,
                    position_title=a.position,
                    affiliation=a.affiliation,
                    bio=a.bio,
                )
                for n, a in enumerate(written_by)
            ]
            tagged += [
                TaggedItem(content_type=content_type, object_id=piece.pk, tag=t) for t in topics
            ]
            events.append(
                PublicationEvent(commentary=piece, kind="public", version=1, occurred_at=now)
            )
            body = " ".join(p.removeprefix("<p>") for p in piece.body.split("</p>") if p)
            topic_names = sorted(t.name for t in topics)  # as the index lists them
            names = " ".join([a.byline_name for a in written_by] + topic_names)
            documents.append((piece, " ".join(points), body, names))
        KeyPoint.objects.bulk_create(key_points)
        Authorship.objects.bulk_create(authorships)
        TaggedItem.objects.bulk_create(tagged)
        PublicationEvent.objects.bulk_create(events)
        if connection.vendor == "postgresql":
            # Japanese cut into words, as search.index does there.
            documents = [
                (piece, cut(points), cut(body), names) for piece, points, body, names in documents
            ]
        SearchDocument.objects.bulk_create(
            SearchDocument(commentary=piece, text=f"{points} {body}", names=names)
            for piece, points, body, names in documents
        )
        if connection.vendor == "postgresql":
            self.vectors(documents)

    def vectors(self, documents):
        """The weighted vector search.index builds, computed by PostgreSQL for a whole batch
        (from text already cut into words)."""
        rows = [
            (
                piece.pk,
                for_vector(piece.title),
                compatible(points),
                for_vector(names),
                compatible(body),
            )
            for piece, points, body, names in documents
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {SearchDocument._meta.db_table} SET vector ="
                " setweight(to_tsvector('english'::regconfig, %s), 'A')"
                " || setweight(to_tsvector('english'::regconfig, %s || ' ' || %s), 'B')"
                " || setweight(to_tsvector('english'::regconfig, %s), 'C')"
                " WHERE commentary_id = %s",
                [(title, points, names, body, pk) for pk, title, points, names, body in rows],
            )
