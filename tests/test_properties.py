"""Properties that must hold for any text, not only the examples we thought of."""

import re
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from polybrief.stages.read.parse import parse_text
from polybrief.text.markdown import escape
from polybrief.text.segment import chunk_words, split_sentences

# letters of the languages we read, punctuation that matters to the splitter and to Markdown
ALPHABET = string.ascii_letters + "čšžćđáéíóöőúüűąęłńśźż ČŠŽÁÉŐŰŁ0123456789 .,!?:;-–»«\"„“'()[]<>*_`#|{}\n\t&/\\"
QUOTES = "»«\"„“” "  # the reader strips these around a title
texts = st.text(alphabet=ALPHABET, max_size=400)


@given(texts, st.sampled_from(["sl", "hu", "pl", "de", "en", ""]))
def test_splitting_loses_and_adds_nothing(text, lang):
    sentences = split_sentences(text, lang)
    assert " ".join(sentences) == " ".join(text.split())
    assert all(s == s.strip() and s for s in sentences)


@given(texts, st.integers(min_value=1, max_value=30))
def test_chunks_are_bounded_and_complete(text, limit):
    pieces = chunk_words(" ".join(text.split()), limit)
    assert " ".join(pieces).split() == text.split()
    assert all(len(p.split()) <= limit for p in pieces)


@given(texts)
def test_escaped_text_is_one_inert_line(text):
    out = escape(text)
    assert "\n" not in out
    assert not re.search(r"(?<!\\)[<>\[\]`*|]", out)
    assert "{{" not in out and "{%" not in out


@settings(max_examples=150)
@given(texts)
def test_reading_keeps_every_word(text):
    article = parse_text(text, "x.txt")
    kept = " ".join([article.title, *article.paragraphs, *article.captions]).split()
    words = text.split()
    if article.date:  # a lifted date line or marker is metadata now
        return
    assert sorted(w.strip(QUOTES) for w in kept) == sorted(w.strip(QUOTES) for w in words)


CREDITS = ["Foto: Xinhua/STA", "FOTO: Reuters", "(Foto: AP)", "Zdjęcie: PAP/EPA", "© www.kremlin.ru", "FOTO/AFP",
           "Fotó: MTI/Koszticsák Szilárd"]
words = st.text(alphabet=string.ascii_lowercase + "čšžąęőű", min_size=3, max_size=10)
# longer than a caption (160 characters): a short line with a credit is a caption by definition
paragraph = st.lists(words, min_size=45, max_size=80).map(lambda ws: " ".join(ws).capitalize() + ".")


@settings(max_examples=100)
@given(st.lists(st.tuples(paragraph, st.sampled_from(CREDITS), st.sampled_from(["end", "start", "middle", "line",
                                                                                "none"])),
                min_size=1, max_size=5))
def test_reading_loses_no_more_than_the_credits(parts):
    """Captions and credits are set aside; the text of every paragraph is translated, whatever
    credit it carries and wherever."""
    blocks = []
    for text, credit, where in parts:
        middle = len(text) // 2
        middle = text.index(" ", middle) if " " in text[middle:] else middle
        blocks += {"end": [f"{text} {credit}"], "start": [f"{credit} {text}"], "line": [text, credit],
                   "middle": [f"{text[:middle]} {credit} {text[middle:]}"], "none": [text]}[where]
    article = parse_text("Naslov\n\n" + "\n\n".join(blocks), "x.txt")
    translated = " ".join([article.title, *article.paragraphs]).split()
    for text, _, _ in parts:
        for word in text.split():
            assert word in translated
    kept = " ".join([article.title, *article.paragraphs, *article.captions])
    assert all(credit in kept for _, credit, where in parts if where != "none")


def _rendered_text(markdown: str) -> str:
    """What a CommonMark reader shows: the HTML's text, tags dropped and entities decoded."""
    import html

    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()


MARKUP = st.text(alphabet=string.ascii_letters[:6] + " _*`~[]()<>!#|=+-.1\\&;{}\"'/:", max_size=60)


@settings(max_examples=400)
@given(st.one_of(MARKUP, texts))
def test_escaped_text_renders_as_the_same_plain_text(text):
    """No input becomes markup: emphasis, links, HTML, code, headings, lists come back as text."""
    plain = " ".join(text.split())
    assert _rendered_text(escape(text)) == plain
    assert _rendered_text(f"Said: {escape(text)} (source)") == f"Said: {plain} (source)"


def test_emphasis_found_by_the_property_search_stays_text():
    for text in ["__x__", "a__b__c", "_x_", "**x**", "~~x~~", "`x`", "![a](b)", "<b>x</b>", "&amp;", "# x", "1. x"]:
        assert _rendered_text(escape(text)) == text


class _UnevenTokens:
    """A summariser's token counting only, as uneven as real BPE: a plain word is one token, a word
    with digits one per character; two specials; a window of 40, small enough for the search to
    reach over-long sentences and words."""

    window = 40

    def count_tokens(self, texts):
        return [2 + sum(len(w) if any(c.isdigit() for c in w) else 1 for w in t.split()) for t in texts]


@settings(max_examples=300)
@given(st.text(alphabet=string.ascii_letters[:8] + "0123456789 .,!?\n", max_size=2000))
def test_chunks_never_exceed_the_window_and_nothing_is_cut(text):
    from polybrief.stages.summarise import pack

    tokens = _UnevenTokens()
    chunks = pack(text, tokens)
    assert all(n <= tokens.window for n in tokens.count_tokens(chunks))
    assert "".join("".join(chunks).split()) == "".join(text.split())


@settings(max_examples=200)
@given(st.lists(st.one_of(st.text(alphabet="abcdef", min_size=1, max_size=6), st.text(alphabet="0123456789",
                                                                                      min_size=1, max_size=90)),
                max_size=120))
def test_chunks_fit_whatever_mix_of_dense_and_light_words(words):
    """The old packing estimated words per token from a sentence's average: a sentence with a long
    number in it (74 tokens in a 40-token window) reached the model whole."""
    from polybrief.stages.summarise import pack

    tokens = _UnevenTokens()
    text = " ".join(words)
    chunks = pack(text, tokens)
    assert all(n <= tokens.window for n in tokens.count_tokens(chunks))
    assert "".join("".join(chunks).split()) == "".join(text.split())
