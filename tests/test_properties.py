"""Properties that must hold for any text, not only the examples we thought of."""

import re
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from polybrief.markdown import escape
from polybrief.segment import chunk_words, split_sentences
from polybrief.stages.read import parse_text

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
