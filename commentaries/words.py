"""The words of a text as full-text search reads them, in English and Japanese.

PostgreSQL's parser splits text at spaces and punctuation, so it keeps a Japanese sentence,
written without spaces, as one token: 協力 would never be found inside
日本と韓国の首脳は二国間協力の重要性を強調すべきだ. Here every run of Japanese script is cut into
words by a morphological analyser (MeCab through fugashi, with the UniDic dictionary of
unidic-lite), the words parted by WORD_BREAK, which the parser takes for a space. The search
configuration (SEARCH_CONFIG, English) then reads them as words: its English stemmer and stop
words leave Japanese words as they are, and English text, in an English piece or in a Japanese
one, is read as before. Queries are cut the same way, each Japanese run a phrase of its words,
so a query matches the words the text was cut into, and headlines mark those words.

Runs are cut wherever they are, whatever the piece's language says: a Japanese quotation in an
English piece is found too, and a piece whose language is mislabelled still is. The analyser
(about 80 MB of dictionary, mapped from the file and shared by processes) loads on the first
Japanese text a process cuts, so a process that never sees one never loads it.

fugashi was chosen over SudachiPy with sudachidict-core by measurement (README, "Search"): it
cut the same sentences into the same words (SudachiPy's mode A), loaded 10-20 times faster,
took half the memory and cut 1,000 characters in 1.5-1.9 ms against 2.2-3.5.
"""

import functools
import re
import unicodedata

# The parser takes an ASCII control character for a space; a reader never sees it: text for
# snippets keeps it between words, and snippets drop it (see text_of()).
WORD_BREAK = "\x1f"

# Kana, the prolonged-sound mark, kanji (with 々 and 〇) and half-width katakana.
JAPANESE = re.compile(
    r"[\u3005\u3007\u303b\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uf900-\ufaff\uff66-\uff9f]+"
)
# A term of web-search syntax: an optional minus, then a "quoted phrase" or a bare word.
TERM = re.compile(r'(-?)("[^"]*"?|[^\s"]+)')


@functools.cache
def _tagger():
    import fugashi

    # Words parted by spaces ("wakati"): a third faster than reading MeCab's nodes in Python.
    return fugashi.Tagger("-Owakati")


def japanese_words(run):
    """A run of Japanese script as its words, in order; joined, they are the run."""
    words = _tagger().parse(run).split()
    return words if "".join(words) == run else [run]


def has_japanese(text):
    return JAPANESE.search(text) is not None


def cut(text, sep=WORD_BREAK):
    """The text with its Japanese runs cut into words parted by `sep`; the rest unchanged."""
    if not has_japanese(text):
        return text
    return JAPANESE.sub(lambda run: sep.join(japanese_words(run.group())), text)


def for_vector(text):
    """What the stored vector is made from: the text cut, in compatibility form."""
    return compatible(cut(text))


def compatible(text):
    """Full-width letters and digits as ASCII, half-width katakana full-width (NFKC), in the
    vector as in queries."""
    return unicodedata.normalize("NFKC", text)


def text_of(marked):
    """Text cut for search, as readers read it."""
    return marked.replace(WORD_BREAK, "")


def query(text):
    """A web-search query (words, "phrases", -exclusions, or) with its Japanese cut into
    words: a bare word with Japanese in it becomes a phrase of its words, and a phrase's
    Japanese is cut within it. English words are left to the search configuration."""
    text = compatible(text)
    if not has_japanese(text):
        return text

    def term(match):
        minus, term = match.groups()
        if not has_japanese(term):
            return match.group()
        words = cut(term.strip('"'), sep=" ").split()
        return f'{minus}"{" ".join(words)}"' if len(words) > 1 else minus + words[0]

    return TERM.sub(term, text)
