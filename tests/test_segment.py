import pytest

from polybrief.text.segment import chunk_words, split_sentences


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        ("sl", "V Rusiji je okoli 10.000 vojakov, je dejal dr. Novak. To je bilo 8. novembra 2024. Kaj zdaj?",
         ["V Rusiji je okoli 10.000 vojakov, je dejal dr. Novak.", "To je bilo 8. novembra 2024.", "Kaj zdaj?"]),
        ("hu", "A találkozó 2024. november 30. volt. Dr. Kovács szerint 11-12 ezer katona van ott.",
         ["A találkozó 2024. november 30. volt.", "Dr. Kovács szerint 11-12 ezer katona van ott."]),
        ("pl", "Spotkanie odbyło się 30 listopada 2024 r. w Moskwie. Prof. Nowak i dr Kowalski byli tam.",
         ["Spotkanie odbyło się 30 listopada 2024 r. w Moskwie.", "Prof. Nowak i dr Kowalski byli tam."]),
        ("de", "Am 8. November traf er A. Blinken. Das war gut.", ["Am 8. November traf er A. Blinken.",
                                                                   "Das war gut."]),
        ("sl", "»Ponavljamo, da bomo stali ob strani.« Tako je dejala.", ["»Ponavljamo, da bomo stali ob strani.«",
                                                                          "Tako je dejala."]),
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


@pytest.mark.parametrize("lang, text, expected", [
    # quoted speech opens with a dash
    ("pl", "Nie wiem, co powiedzieć. - Nie zauważyłem nic takiego. – Dlaczego?",
     ["Nie wiem, co powiedzieć.", "- Nie zauważyłem nic takiego.", "– Dlaczego?"]),
    # sentences that open with a number
    ("hu", "Ez történt. 1998-ban társai megalapították a céget.", ["Ez történt.",
                                                                   "1998-ban társai megalapították a céget."]),
    ("pl", "Był w szpitalu. 64-letni mężczyzna zmarł.", ["Był w szpitalu.", "64-letni mężczyzna zmarł."]),
    ("sl", "Tako je bilo. 15. avgusta 1940 so prišli.", ["Tako je bilo.", "15. avgusta 1940 so prišli."]),
    # abbreviations that do not end a sentence, and ones that often do
    ("pl", "Rzecznik ds. prasowych i podkom. Nowak, m.in. pn. Kowalski, byli tam.",
     ["Rzecznik ds. prasowych i podkom. Nowak, m.in. pn. Kowalski, byli tam."]),
    ("pl", "Stan wojenny ogłoszono w 1981 r. W mieście było cicho.", ["Stan wojenny ogłoszono w 1981 r.",
                                                                      "W mieście było cicho."]),
    ("pl", "Stosuje się przepisy art. 42 ust. 3. Wcale nie jest to trudne.",
     ["Stosuje się przepisy art. 42 ust. 3.", "Wcale nie jest to trudne."]),
    # numbered list items, Roman numerals, dates written with periods
    ("pl", "Należy: 1. Ustawić kursor. 2. Nacisnąć klawisz.", ["Należy: 1. Ustawić kursor.", "2. Nacisnąć klawisz."]),
    ("hu", "A II. Rákóczi Ferenc Gimnázium diákjai.", ["A II. Rákóczi Ferenc Gimnázium diákjai."]),
    ("sl", "Rok je 15. 8. 2024. Potem pa nič.", ["Rok je 15. 8. 2024.", "Potem pa nič."]),
    ("hr", "Bilo je 8. rujna 2001. godine.", ["Bilo je 8. rujna 2001. godine."]),
])
def test_hard_cases_measured_on_ud_gold(lang, text, expected):
    assert split_sentences(text, lang) == expected
