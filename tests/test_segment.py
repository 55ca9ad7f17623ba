import pytest

from polybrief.segment import chunk_words, split_sentences


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        ("sl", "V Rusiji je okoli 10.000 vojakov, je dejal dr. Novak. To je bilo 8. novembra 2024. Kaj zdaj?",
         ["V Rusiji je okoli 10.000 vojakov, je dejal dr. Novak.", "To je bilo 8. novembra 2024.", "Kaj zdaj?"]),
        ("hu", "A találkozó 2024. november 30. volt. Dr. Kovács szerint 11-12 ezer katona van ott.",
         ["A találkozó 2024. november 30. volt.", "Dr. Kovács szerint 11-12 ezer katona van ott."]),
        ("pl", "Spotkanie odbyło się 30 listopada 2024 r. w Moskwie. Prof. Nowak i dr Kowalski byli tam.",
         ["Spotkanie odbyło się 30 listopada 2024 r. w Moskwie.", "Prof. Nowak i dr Kowalski byli tam."]),
        ("de", "Am 8. November traf er A. Blinken. Das war gut.", ["Am 8. November traf er A. Blinken.", "Das war gut."]),
        ("sl", "»Ponavljamo, da bomo stali ob strani.« Tako je dejala.", ["»Ponavljamo, da bomo stali ob strani.«", "Tako je dejala."]),
    ],
)
def test_splits_at_sentence_ends_only(lang, text, expected):
    assert split_sentences(text, lang) == expected


def test_pieces_give_back_the_text():
    text = "Prvi  stavek.\nDrugi stavek! Tretji? Četrti brez pike"
    assert " ".join(split_sentences(text, "sl")) == " ".join(text.split())


def test_empty_text_has_no_sentences():
    assert split_sentences("   ", "sl") == []


def test_chunk_words_keeps_every_word_within_the_limit():
    sentence = " ".join(f"w{i}," if i % 7 == 0 else f"w{i}" for i in range(100))
    pieces = chunk_words(sentence, 20)
    assert all(len(p.split()) <= 20 for p in pieces)
    assert " ".join(pieces).split() == sentence.split()


def test_chunk_words_leaves_short_sentences_alone():
    assert chunk_words("a b c", 5) == ["a b c"]
