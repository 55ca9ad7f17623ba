"""Facts of a story that a reader checks first: who said what (direct quotes) and when things
happened (a timeline), each tied to the sentence it came from.

Quotes are found in the original text, where the quotation marks are the writer's (», «, „ ", " ",
« », ' '), and shown with the English of the same sentence; dates are read from the English, where
one set of month names serves every source language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from polybrief.records import Article, Event, Quote, Translation
from polybrief.text.dates import date_spans, dates_in_text

_QUOTE = re.compile(r"``([^`']{12,})''|»([^«»]{12,})«|«([^«»]{12,})»|„([^„“”\"]{12,})[“”\"]"
                    r"|“([^“”]{12,})”|\"([^\"]{12,})\"")


def anchor(paragraph: int, sentence: int) -> str:
    """The id of a sentence on its article page: paragraph and sentence, counted from 1."""
    return f"s{paragraph + 1}-{sentence + 1}"


def find_quotes(article: Article, translation: Translation, number: int) -> list[Quote]:
    """Direct quotes of an article, each with its speaker (see `polybrief.text.speakers`), the English
    and the original wording, and the sentence it stands in."""
    from polybrief.text.names import names_in
    from polybrief.text.speakers import attributed, speaker_of

    names = names_in(translation.text_en)
    quotes = []
    # news paragraphs are often one sentence: a speaker carries over to the next paragraph
    last_speaker, before = "", ""
    for p, para in enumerate(translation.paragraphs):
        for s, pair in enumerate(para):
            match = _QUOTE.search(pair.src)
            # "it" holds the quote's place, so "…," Ross said' keeps Ross mid-sentence
            outside = _QUOTE.sub("it", pair.en)
            speaker = speaker_of(outside, names, before, last_speaker) if match else attributed(outside, names)
            last_speaker = speaker or last_speaker
            before = pair.en
            if match:
                original = next(g for g in match.groups() if g).strip(" ,.")
                quotes.append(Quote(_quoted(pair.en) or pair.en, original, speaker, number, anchor(p, s)))
    return quotes


def _quoted(text: str) -> str:
    match = _QUOTE.search(text)
    return next(g for g in match.groups() if g).strip(" ,.") if match else ""


def build_timeline(sources: Sequence[tuple[int, Article, Translation]], limit: int = 12,
                   outlets: Mapping[int, str] | None = None) -> tuple[Event, ...]:
    """Publications and dated events, oldest first, one entry per date and one per sentence (at the
    first of its dates not taken yet): each event is the clause that names its date, said in words
    ("the leaders met in September 2023"), never a bare dateline or timestamp. A publication is
    named by its outlet and title, never by an id."""
    outlets = outlets or {}
    events: dict[str, Event] = {}
    published: list[Event] = []
    for number, article, translation in sources:
        if article.date:
            published.append(Event(article.date, _published(article, translation, outlets.get(number, "")), number))
        year = article.date[:4] if article.date[:4].isdigit() else ""
        for p, para in enumerate(translation.paragraphs):
            for s, pair in enumerate(para):
                # the English, else the original: a date the translation garbled is still a date
                for when in dates_in_text(pair.en, "en", year) or dates_in_text(pair.src, article.lang, year):
                    what = event_clause(pair.en)
                    if what and when not in events:
                        events[when] = Event(when, what, number, anchor(p, s))
                        break  # a sentence naming several dates (a run-on timeline box) is one entry
    ordered = sorted([*events.values(), *published], key=lambda e: (e.date, e.source))
    return tuple(ordered[:limit])


def _published(article: Article, translation: Translation, outlet: str) -> str:
    title = translation.title_en or article.title or " ".join(translation.text_en.split()[:8]) + "…"
    return f"{outlet} published “{title}”" if outlet else f"Published “{title}”"


_CLOCK = re.compile(r"\(?\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?|GMT|UTC|ET|EST|CET)?\)?", re.IGNORECASE)


def event_clause(sentence: str, max_words: int = 30) -> str:
    """The part of a sentence that says what happened, or "" where it says nothing but a date
    (a dateline, a timestamp, "November 15, 2004 (1:05 p.m."): fewer than three words left once
    dates, times and page furniture are taken out."""
    from polybrief.text.boilerplate import clean_sentence, is_news

    text = clean_sentence(sentence)
    if not is_news(text):
        return ""
    spans = date_spans(text, "en", default_year="0000")  # where dates stand: a year-less one too
    bare = _CLOCK.sub(" ", "".join(text[end:next_start] for (_s, end, _d), (next_start, _e, _n)
                                   in zip([(0, 0, ""), *spans], [*spans, (len(text), 0, "")], strict=True)))
    if len(re.findall(r"[A-Za-z]{2,}", bare)) < 3:
        return ""
    words = text.split()
    if len(words) <= max_words:
        return text
    # the clause around the date: from the comma or semicolon before it to the one after
    at = spans[0][0] if spans else 0
    start = max(text.rfind(",", 0, at), text.rfind(";", 0, at)) + 1
    clause = text[start:].strip()
    cut = " ".join(clause.split()[:max_words])
    return ("…" if start else "") + cut + ("…" if len(clause.split()) > max_words else "")
