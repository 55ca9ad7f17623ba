"""Numbers as news writes them: figures read right, and what is not a figure left alone."""

import pytest

from polybrief.stages.merge.figures import figures_in, lost_figures
from polybrief.text.numbers import english_values, figures_in_original


@pytest.mark.parametrize("lang, text, expected", [
    ("sl", "okoli 10.000 vojakov in 8000 napotili", [10000, 8000]),
    ("hu", "jelenleg 11-12 ezer katona", [11000, 12000]),  # a range: both ends scaled
    ("sl", "osem tisoč vojakov, 2,5 milijona evrov", [2500000, 8000]),
    ("hu", "10 000 katona és 800 000 forint", [10000, 800000]),
    ("pl", "10\u00a0000 żołnierzy i 330\u202f000 chorych", [10000, 330000]),  # no-break and narrow spaces
    ("hu", "tízezer katona, nyolcezer menekült", [10000, 8000]),
    ("sl", "dvajset tisoč ljudi", [20000]),
    ("pl", "półtora miliona ludzi", [1500000]),
    ("sl", "1,5 milijarde evrov", [1500000000]),
    ("cs", "3,7 milionu obyvatel", [3700000]),
    ("de", "45 Millionen Euro", [45000000]),
    ("en", "about 758,000 pounds and 1,250 jobs", [758000, 1250]),
])
def test_figures_of_the_original(lang, text, expected):
    assert sorted(figures_in_original(text, lang)) == sorted(expected)


@pytest.mark.parametrize("lang, text", [
    ("sl", "Zakon je bil sprejet leta 2022."),
    ("sl", "Srečanje je bilo 30. novembra 2024 ob 12.30."),
    ("sl", "Zasedel je 8. mesto v 19. stoletju."),
    ("hu", "Az 1960-as években, 1998-ban és 2024. november 30-án."),
    ("pl", "Spotkanie o 12:30, zob. str. 12, w latach 1977–1981."),
    ("hr", "Napad se dogodio 15. kolovoza 2023."),
])
def test_years_dates_times_ordinals_and_pages_are_not_figures(lang, text):
    assert figures_in_original(text, lang) == []


@pytest.mark.parametrize("text, value", [
    ("Thirty soldiers were killed.", 30),
    ("forty-five thousand troops crossed", 45000),
    ("a population of around 3.7 million", 3700000),
    ("40,000 fans watched", 40000),
    ("an extra AUD$45 million", 45000000),
    ("winds of 70km/h", 70),
    ("29¾ inches", 29.75),
    ("from 4.2-3.9 million years ago", 3900000),
])
def test_english_values(text, value):
    assert value in english_values(text)


def test_english_figures_read_number_words_beyond_twelve():
    assert [(low, noun) for low, _high, noun, _text in figures_in("Thirty soldiers died.")] == [(30, "soldier")]
    found = figures_in("He sent forty-five thousand troops.")
    assert [(low, noun) for low, _high, noun, _text in found] == [(45000, "soldier")]


def test_a_figure_the_translation_dropped_or_changed_is_flagged_and_a_kept_one_is_not():
    original = "V regiji Kursk je 10 000 severnokorejskih vojakov."
    assert lost_figures(original, "There are 10,000 North Korean soldiers in the Kursk region.", "sl") == []
    assert lost_figures(original, "There are 1,000 North Korean soldiers in the Kursk region.", "sl") == [10000]
    assert lost_figures(original, "There are North Korean soldiers in the Kursk region.", "sl") == [10000]
    assert lost_figures("Leta 2022 so prišli.", "They came last year.", "sl") == []  # a year is no figure


def test_nothing_is_lost_where_nothing_was_translated():
    english = "Each rocket engine produces about 758,000 pounds of thrust."
    assert lost_figures(english, english, "en") == []
