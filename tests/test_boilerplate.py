"""Page furniture is no news: what summaries and key points leave out (real WikinewsSum lines)."""

import pytest

from polybrief.text.boilerplate import clean_sentence, is_news, news_text


@pytest.mark.parametrize("sentence, news", [
    ("advertisement Kmart Buying Sears in $11.5 Billion Deal NEW YORK (Reuters) - Discount retailer Kmart agreed.",
     "Discount retailer Kmart agreed."),
    ("Chile: Courts confine Pinochet to home Santiago, Chile, Jan. 5 (UPI) -- Chile's former dictator was arrested.",
     "Chile's former dictator was arrested."),
    ("WASHINGTON, Dec. 31 (Xinhuanet) -- US President George W. Bush announced a plan.",
     "US President George W. Bush announced a plan."),
    ("Source: Reuters Increasing dangers in Iraq make reporting tough.",
     "Increasing dangers in Iraq make reporting tough."),
    ("The minister said the talks would resume (Reuters) in spring.",
     "The minister said the talks would resume (Reuters) in spring."),
    ("WASHINGTON, Nov. 23 - A harshly critical report was released.", "A harshly critical report was released."),
    ("CARACAS, Dec 7 (IPS) - The South American community met.", "The South American community met."),
    ("NEW DELHI, Dec. 29 (UPI) -- The death toll rose.", "The death toll rose."),
    ("NATO, the alliance, said on Dec. 7 - in Brussels - that it agreed.",
     "NATO, the alliance, said on Dec. 7 - in Brussels - that it agreed."),
])
def test_datelines_bylines_and_tags_come_off_the_sentence(sentence, news):
    assert clean_sentence(sentence) == news


@pytest.mark.parametrize("sentence", [
    "Got Spam?", "Is spam taking out your e-mail?", "QUESTION: Mr. Secretary, of all the things you've done",
    "Please click here.",
    "The Japan Times Ltd. All rights reserved.", "Lycos Home | Search | Choose your country | Italy",
    "Home > Programs > Democracy Now! > Thur., Dec. 9, 2004", "Continued...", "QUICK VOTE What do you expect?",
    "Just watch a brief advertisement to get a FREE Site Pass for today.", "Source:", " ".join(["item"] * 90),
])
def test_page_furniture_and_questions_are_not_news(sentence):
    assert not is_news(sentence)


def test_news_and_quoted_questions_stay():
    assert is_news("The talks resumed on Monday.") and is_news('"Will it work?" he asked.')


def test_news_text_keeps_the_paragraphs_and_never_empties_a_text():
    text = "advertisement\n\nNEW YORK (Reuters) - Kmart will buy Sears. Got Spam?\n\nThe deal closes in March."
    assert news_text(text) == "Kmart will buy Sears.\n\nThe deal closes in March."
    assert news_text("Got Spam?") == "Got Spam?"  # all furniture: left as it was, not emptied


def test_a_transcript_label_and_an_agency_credit_glued_to_a_title_go():
    assert clean_sentence("SECRETARY POWELL: I'm still working on my schedule.") == "I'm still working on my schedule."
    assert clean_sentence("EST) SECRETARY POWELL: Well, good afternoon.") == "Well, good afternoon."
    assert clean_sentence("Rice replacing Powell; Hadley to head NSC Source: Reuters President Bush chose Rice.") == \
        "President Bush chose Rice."
    assert not is_news(clean_sentence("QUESTION: Mr. Secretary, of all the things you have done."))


# the pattern real NYT wire copy left in an extractive summary and two key points (#22)
WIRE = ("The senator said the bill would pass next week. &UR; NEW AMERICA NEWS SERVICE &QC; &UR; (Distributed by "
        "New York Times Special Features) Officials expect a close vote. To purchase this material contact New "
        "York Times Syndicate Sales Executive Gerard Lordahl at 1-732-390-4480.) &QL;")


def test_wire_codes_and_syndication_notices_stay_out_of_the_news():
    kept = news_text(WIRE)
    assert kept.startswith("The senator said the bill would pass next week.")
    for furniture in ("&UR;", "&QC;", "&QL;", "NEWS SERVICE", "Distributed by", "To purchase", "Syndicate"):
        assert furniture not in kept
    assert not is_news("To purchase this material contact New York Times Syndicate Sales at 1-732-390-4480.")
    # news that only sounds like it stays news
    assert is_news("Food was distributed by volunteers, and the state news service said 500 families got help.")


def test_heading_lines_stay_out_of_what_summaries_are_made_from():
    """A page's header lines, each a paragraph of its own (WikinewsSum, The Guardian): glued to the
    first sentence in a summary before."""
    page = ("Public health Reid offers blueprint for fitness\n\nFrom smoking bans to personal trainers, government "
            "unveils how it wants people to help themselves to live longer\n\nJames Meikle, Sarah Boseley and "
            "Felicity Lawrence\n\nThe Guardian\n\nJohn Reid, the health secretary, yesterday championed personal "
            "choice over state dictation.\n\nText Alerts Get the day's top headlines straight to your mobile")
    assert news_text(page) == ("John Reid, the health secretary, yesterday championed personal choice over state "
                               "dictation.")
    headings_only = "Top stories\n\nWorld news"
    assert news_text(headings_only) == headings_only  # nothing would be left: the text as it was


def test_an_advert_marker_between_two_sentences_neither_glues_them_nor_stays():
    # WikinewsSum 017: the marker came into a key point as "… lifestyles. advertisement Mr Reid, who …"
    text = ("NHS trainers will give advice on healthy lifestyles. advertisement Mr Reid, who earlier this year "
            "defended smokers, said the ban was fair.")
    assert news_text(text) == ("NHS trainers will give advice on healthy lifestyles. Mr Reid, who earlier this year "
                               "defended smokers, said the ban was fair.")
    from polybrief.text.segment import split_sentences

    assert len(split_sentences(text, "en")) == 2
    assert split_sentences("They watched an advertisement on TV.", "en") == ["They watched an advertisement on TV."]


def test_a_section_name_a_byline_after_a_title_and_a_lone_attribution_are_no_news():
    # real WikinewsSum pages (clusters 031 and 052)
    assert clean_sentence("INTERNATIONAL The American photographer maintained his silence on Wednesday.") == \
        "The American photographer maintained his silence on Wednesday."
    assert clean_sentence("Air Force punishes Boeing by taking 7 contracts By Edward Iwata, USA TODAY Handing down "
                          "some of the harshest penalties, the Air Force stripped Boeing.") == \
        "Handing down some of the harshest penalties, the Air Force stripped Boeing."
    assert not is_news("Torres asked.") and not is_news("He added.")
    assert is_news("NATO said the talks would go on.") and is_news("Torres asked for a delay.")
    assert clean_sentence("NATO The alliance met.") == "The alliance met."
    assert clean_sentence("The report was written by John Smith, a retired judge.") == \
        "The report was written by John Smith, a retired judge."
