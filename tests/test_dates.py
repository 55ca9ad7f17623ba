"""Dates as news writes them: inflected month names, per language, and in the English."""

import pytest

from polybrief.text.dates import dates_in_text, month_number


@pytest.mark.parametrize("lang, text, expected", [
    ("sl", "Srečanje je bilo 30. novembra 2024 v Moskvi.", ["2024-11-30"]),
    ("sl", "Zakon velja od decembra 2021, spremembe od 1. marca 2022.", ["2021-12", "2022-03-01"]),
    ("sl", "V avgustu so prišli vojaki.", []),  # no year, none given: left out, not guessed
    ("hu", "A találkozó 2024. november 30-án volt.", ["2024-11-30"]),
    ("hu", "1998. augusztus 21-én társai megalapították.", ["1998-08-21"]),
    ("pl", "Spotkanie odbyło się 30 listopada 2024 r. w Moskwie.", ["2024-11-30"]),
    ("pl", "Od stycznia 2023 obowiązuje nowa ustawa.", ["2023-01"]),
    ("hr", "Napad se dogodio 15. kolovoza 2023. u Zagrebu.", ["2023-08-15"]),
    ("hr", "U listopadu 2022 počeli su pregovori.", ["2022-10"]),  # Croatian listopad is October
    ("cs", "Stalo se to 15. srpna 2023 v Praze.", ["2023-08-15"]),
    ("de", "Am 8. November 2024 traf er Blinken.", ["2024-11-08"]),
    ("en", "On November 15, 2004, Powell resigned.", ["2004-11-15"]),
])
def test_dates_in_the_original(lang, text, expected):
    assert dates_in_text(text, lang) == expected


def test_a_month_without_a_year_takes_the_articles_year():
    assert dates_in_text("Augusztusban érkeztek a katonák.", "hu", default_year="2024") == ["2024-08"]
    assert dates_in_text("V avgustu so prišli vojaki.", "sl", default_year="2024") == ["2024-08"]


def test_without_a_language_the_first_whose_month_names_fit():
    assert dates_in_text("30. novembra 2024") == ["2024-11-30"]
    assert dates_in_text("2024. november 30.") == ["2024-11-30"]
    assert dates_in_text("nothing here") == []


def test_month_names_are_not_read_in_other_words():
    assert month_number("majhen", "sl") == 0 and month_number("maja", "sl") == 5
    assert month_number("márciusban", "hu") == 3 and month_number("Mayor", "en") == 0


@pytest.mark.parametrize("text, expected", [
    ("On 6 August the troops arrived.", ["2024-08-06"]),  # "On" once passed for a month
    ("On 15 August 1940, the army moved.", ["1940-08-15"]),
    ("Mayor Smith said so in March.", ["2024-03"]),
    ("The talks began in 2019.", ["2019"]),
])
def test_dates_in_the_english(text, expected):
    assert dates_in_text(text, "en", "2024") == expected
