"""What a news page carries besides the news: datelines and bylines glued to the first sentence,
agency tags, adverts, navigation, polls, copyright lines, and questions (interview prompts, teaser
lines). Summaries are made from the rest; the article page still shows every word.

Measured with `bench/reader.py` on WikinewsSum (real English news pages).
"""

from __future__ import annotations

import re

from polybrief.text.segment import SENTENCE_ENDS

# "NEW YORK (Reuters) - ", "Santiago, Chile, Jan. 5 (UPI) -- ", "WASHINGTON, Dec. 31 (Xinhuanet) -- ":
# what stands before it on the line is the page's title, the dateline itself is no news
_DATELINE = re.compile(
    r"(?:^|\s)[A-Z][\w.'-]*(?:[ ,]+[\w.'-]+){0,5}\s*\((?:Reuters|AP|AFP|UPI|Bloomberg|dpa|Xinhua\w*|CNN)\)\s*[-–—]+\s*")
_LEADING = re.compile(
    r"^(?:advertisement\s+|(?:Source|SOURCE):\s*[\w .&']+?\s+(?=[A-Z])|\(Adds [^)]*\)\s*"
    r"|By [A-Z][a-z]+(?: [A-Z][a-z.]+){1,2}\s+(?=[A-Z]{3,})"
    r"|(?!QUESTION:|Q:)[A-Z][A-Z.' ]{2,40}:\s+(?=\S)"
    # a transcript's speaker label ("SECRETARY POWELL: "); the tail of a cut timestamp ("EST) SECRETARY …")
    r"|[^\s()]{1,12}\)\s+(?=[A-Z]))+")
# a page's title glued to the story by an agency credit: "Rice replacing Powell Source: Reuters President…",
# or by a byline naming its paper: "Air Force punishes Boeing … By Edward Iwata, USA TODAY Handing down …"
_CREDIT = re.compile(r"^.{0,160}?\bSource: (?:Reuters|AP|AFP|UPI|Bloomberg|Xinhua|dpa|CNN|BBC)\b[\s.:-]*"
                     r"|^.{0,160}?\bBy [A-Z][a-z]+(?: [A-Z][a-z.]+){1,2}, [A-Z][A-Z.& ]{2,30}?\s+(?=[A-Z][a-z])")
# a page's section name before the first sentence: "INTERNATIONAL The American photographer …"
_KICKER = re.compile(r"^[A-Z]{4,}(?: [A-Z]{4,})?\s+(?=(?:The|A|An|In|On|At|After|For)\s)")
# what is left of a quotation whose question went as a question: "Torres asked.", "he added."
_ATTRIBUTION = re.compile(r"^(?:[Hh]e|[Ss]he|[Tt]hey|[A-Z][\w'-]+(?: [A-Z][\w'-]+){0,2}) "
                          r"(?:said|asked|added|says|asks|adds|wrote|told reporters)\.$")
_NOT_NEWS = re.compile(
    r"^advertisement$|\bcontinued\s*(?:\.\.\.|…)|\bQUICK VOTE\b|\bclick here\b|\bsubscri(?:be|ption)\b"
    r"|page you (?:are looking for|requested)|\ball rights reserved\b|\bHome >|\bAlso from this section\b"
    r"|\bSite Pass\b|\bprint this\b|\be-?mail this\b|(?:\s\|\s.*){2,}|(?:-\s){4,}|^(?:QUESTION|Q):"
    r"|^[\w ]{1,20}:$",  # a label on its own line: "Source:", "Related stories:"
    re.IGNORECASE)
_LIST_RUN = 80  # words: a run of list items or menu entries taken as one "sentence"
# wire-service copy: formatting codes ("&UR;", "&QC;": entities no HTML knows) and the syndicate's
# distribution and sales notices. Case matters ("the state news service said" is news)
_WIRE_CODE = re.compile(r"&[A-Z]{2,3};")
_WIRE = re.compile(_WIRE_CODE.pattern + r"|\b[A-Z]{2,}(?: [A-Z]{2,})* NEWS SERVICE\b|\(Distributed by\b"
                   r"|\b[Tt]o purchase this material\b|\bSyndicate Sales\b"
                   r"|\bDistributed by [A-Z][\w ]{0,60}Syndicate\b")


_NOTICE_WORDS = 150  # a notice paragraph is short: a whole article glued into one paragraph is no notice


def is_notice(paragraph: str) -> bool:
    """A site's copyright or media-registration notice, in any shipped language (`notice_phrases`)."""
    from polybrief.text.languages import union

    folded = paragraph.casefold()
    return len(paragraph.split()) <= _NOTICE_WORDS and any(p in folded for p in union("notice_phrases"))


# a dated dateline opening the sentence: "WASHINGTON, Nov. 23 - ", "CARACAS, Dec 7 (IPS) - ",
# "NEW DELHI, Dec. 29 (UPI) -- " (a lead the summaries prefer, so it must come off)
_DATED = re.compile(r"^[A-Z][A-Z.'-]+(?:[ ,]+[A-Z][A-Z.'-]+)*,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?\s*"
                    r"(?:\([\w ]{2,20}\))?\s*[-–—]+\s*")


def clean_sentence(sentence: str) -> str:
    """The sentence without a leading advert word, agency tag, byline or dateline."""
    text = _DATED.sub("", _LEADING.sub("", _KICKER.sub("", _CREDIT.sub("", sentence.strip()))))
    datelines = list(_DATELINE.finditer(text))  # the last one: what follows it is the story's first sentence
    return text[datelines[-1].end():].strip() if datelines else text


def is_news(sentence: str) -> bool:
    """False for what no summary or key point should say: page furniture, wire-service codes and
    syndication notices, questions, and an attribution left on its own ("Torres asked.")."""
    return bool(sentence) and not (_NOT_NEWS.search(sentence) or _WIRE.search(sentence) or _ATTRIBUTION.match(sentence)
                                   or sentence.rstrip("\"'”’ )").endswith("?") or len(sentence.split()) > _LIST_RUN)


def news_text(text: str) -> str:
    """The text with its sentences cleaned and the furniture left out, paragraph by paragraph;
    the text as it was when nothing would be left."""
    from polybrief.text.segment import split_sentences

    paragraphs = []
    for paragraph in text.split("\n\n"):
        paragraph = _WIRE_CODE.sub(" ", paragraph)  # "week. &UR; NEW …": the codes hide sentence ends
        kept = [s for s in (clean_sentence(x) for x in split_sentences(paragraph, "en")) if is_news(s)]
        if kept and not _heading(kept):
            paragraphs.append(" ".join(kept))
    return "\n\n".join(paragraphs) or text


_HEADING_WORDS = 25


def _heading(sentences: list[str]) -> bool:
    """A paragraph that is one short line not ended as a sentence is: a title repeated in the text,
    a standfirst, a byline, a section label or a promotion ("The Guardian", "Text Alerts Get the
    day's top headlines …"). In a summary it would be glued to the next sentence, which a reader
    then meets as "… The Guardian John Reid, the health secretary, …"."""
    line = sentences[0] if len(sentences) == 1 else ""
    return bool(line) and len(line.split()) <= _HEADING_WORDS and not line.rstrip("\"'”’») ").endswith(SENTENCE_ENDS)
