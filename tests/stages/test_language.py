from polybrief.config import load_config
from polybrief.stages.language import detect_languages
from polybrief.stages.read import read_articles
from tests.builders import article

ENGLISH = "The Pentagon said on Thursday that about ten thousand soldiers had been sent to the region."
GERMAN = "Der Außenminister sagte am Donnerstag, dass etwa zehntausend Soldaten in die Region geschickt wurden."


def test_seed_languages_are_recognised_with_confidence(seeds):
    result = detect_languages(read_articles([seeds]).articles, load_config())
    assert [a.lang for a in result.articles] == ["sl", "sl", "sl", "hu", "pl"]
    assert all(a.lang_confidence > 0.9 for a in result.articles)


def test_english_is_kept_even_without_a_model():
    result = detect_languages([article(ENGLISH, lang="")], load_config(None, translation={"fallback": None}))
    assert [a.lang for a in result.articles] == ["en"] and result.outcomes == ()


def test_a_language_without_a_model_is_skipped_with_its_reason():
    config = load_config(None, translation={"models": {"de": None}, "fallback": None})
    result = detect_languages([article(GERMAN, lang="")], config)
    assert result.articles == ()
    (outcome,) = result.outcomes
    assert outcome.status == "skipped" and "no translation model for 'de'" in outcome.detail


def test_the_fallback_covers_languages_without_their_own_model():
    config = load_config(None, translation={"models": {"de": None}})
    assert [a.lang for a in detect_languages([article(GERMAN, lang="")], config).articles] == ["de"]


def test_uncertain_language_is_skipped():
    config = load_config(None, language={"min_confidence": 0.99})
    mixed = "Ruski predsednik je dejal. The president said so. Der Präsident sagte es."
    result = detect_languages([article(mixed, lang="")], config)
    assert result.outcomes and "language uncertain" in result.outcomes[0].detail


def test_an_english_statement_in_a_slovenian_article_keeps_its_own_language():
    sl = "Ruski zunanji minister je po pogovorih s severnokorejsko kolegico izpostavil tesne vezi med vojskama."
    en = "We will stand firmly with our Russian comrades until the day of victory, the minister said in Moscow."
    (a,) = detect_languages([article(f"{sl}\n\n{en}\n\n{sl} Drugi del.", lang="")], load_config()).articles
    assert a.lang == "sl" and a.paragraph_langs == ("sl", "en", "sl")


def test_seed_paragraphs_all_stay_in_their_articles_language(seeds):
    result = detect_languages(read_articles([seeds]).articles, load_config())
    assert all(a.paragraph_langs == () for a in result.articles)


def test_low_accuracy_mode_finds_the_same_languages_in_the_seeds_and_a_mixed_article(seeds):
    """Low accuracy mode loads a tenth of the models (bench/language.py): on articles it agrees."""
    low = load_config(None, language={"accuracy": "low"})
    result = detect_languages(read_articles([seeds]).articles, low)
    assert [a.lang for a in result.articles] == ["sl", "sl", "sl", "hu", "pl"]
    assert all(a.paragraph_langs == () for a in result.articles)
    sl = "Ruski zunanji minister je po pogovorih s severnokorejsko kolegico izpostavil tesne vezi med vojskama."
    en = "We will stand firmly with our Russian comrades until the day of victory, the minister said in Moscow."
    (a,) = detect_languages([article(f"{sl}\n\n{en}\n\n{sl} Drugi del.", lang="")], low).articles
    assert a.lang == "sl" and a.paragraph_langs == ("sl", "en", "sl")


# written for these tests, in the pattern of a BSNLP page: Cyrillic words with Latin look-alike letters
BULGARIAN = ("Официалният профил на премиера в социалната мрежа беше обновен в петък сутринта. Според "
             "съобщението правителството ще представи новия бюджет пред парламента следващата седмица, а "
             "опозицията поиска обществено обсъждане на разходите за отбрана и образование.")
RUSSIAN = ("Официальный представитель министерства сообщил в пятницу, что переговоры о поставках газа "
           "продолжатся на следующей неделе. По его словам, стороны обсудили цены, сроки и объёмы поставок, "
           "а также условия транзита через территорию соседних стран.")


def _homoglyphs(text, every=2):
    """Every `every`-th Cyrillic letter that has a Latin twin written as that twin."""
    twins = dict(zip("асеорхуАВСЕНКМОРТХ", "aceopxyABCEHKMOPTX", strict=True))
    out, seen = [], 0
    for letter in text:
        if letter in twins:
            seen += 1
            if seen % every == 0:
                letter = twins[letter]
        out.append(letter)
    return "".join(out)


def test_cyrillic_written_with_latin_look_alikes_is_read_as_its_language():
    for text, lang in ((BULGARIAN, "bg"), (RUSSIAN, "ru")):
        disguised = _homoglyphs(text, every=1)  # every letter that can be: half the text's letters
        assert sum(c.isascii() and c.isalpha() for c in disguised) > 0.3 * sum(c.isalpha() for c in disguised)
        result = detect_languages([article(disguised, lang="")], load_config())
        (found,) = result.articles
        assert (found.lang, found.text) == (lang, text) and found.lang_confidence > 0.9


def test_latin_words_in_cyrillic_text_are_left_as_written():
    text = BULGARIAN + " Профилът във Facebook и Twitter се следи от 2 милиона души."
    (found,) = detect_languages([article(text, lang="")], load_config()).articles
    assert "Facebook и Twitter" in found.text and found.lang == "bg"


def test_words_that_stay_in_two_scripts_make_the_language_uncertain():
    # every word given a sure Latin letter and a sure Cyrillic one: nothing says which it is in
    words = [f"q{w}" for w in RUSSIAN.split()]
    result = detect_languages([article(" ".join(words), lang="")], load_config())
    assert result.articles == () and "mix Latin and Cyrillic" in result.outcomes[0].detail
