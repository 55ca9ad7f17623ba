"""Names in English text: people, places and bodies, found without a model.

Used to link articles that mention the same people, places and bodies (clustering), to say who a
quote or a figure is attributed to, and to list who and what a story names.

A name is a run of capitalised words ("Kim Jong Un", "Bank of England", "U.S.", "C. Lewis"),
joined through the small words names carry ("of", "de", "van"). English capitalises more than
names, so a run is cut back before it counts:
- at a sentence's start, a common word ("The", "But", "In") is dropped from it, and a single
  word left there counts only when the text also capitalises it in mid-sentence ("Putin thanked
  Kim" keeps Putin when Putin appears elsewhere; "Officials said" names nobody);
- possessives fold ("Bush's" → Bush), titles go ("President Bush" → Bush: the person is the
  name; the title stays in the sentence), and a lone generic word ("State", "Department",
  "Government") or a month or weekday names nothing;
- headlines and table rows in capitals are skipped: their capitals say nothing.
Measured on CoNLL-2003 dev with `bench/names.py` (name sets per document).
"""

from __future__ import annotations

import re

# the small words names carry inside them ("Bank of England", "Douglas & Lomason")
_CONNECTOR_WORDS = frozenset("& of for de van von der den da du la le al bin di del dos y".split())
_CONNECTOR = "(?:" + "|".join(sorted(map(re.escape, _CONNECTOR_WORDS))) + ")"
_WORD = r"(?:[A-Z](?:\.[A-Z])+\.?|[A-Z]\.(?=\s+[A-Z])|[A-Z][\w'’&-]*\w)"
_RUN = re.compile(rf"(?<![\w'’-]){_WORD}(?:[ \t]+(?:{_CONNECTOR}[ \t]+){{0,2}}{_WORD})*")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_DEMONYM = re.compile(r"(?:ian|ean|ese|ish|can)$")

_CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
# words that start sentences: capitalised there for grammar, not because they name anything
_COMMON = frozenset(
    "a an the and but or nor so yet if as at by for from in into of on onto to with without within "
    "after before during under over since while although though despite because about above across "
    "against along among around behind below beneath beside between beyond near through throughout "
    "toward towards upon via per unlike like until unless whether than then there here now today "
    "yesterday tomorrow tonight also however meanwhile earlier later still even just only again "
    "instead thus hence therefore indeed otherwise moreover furthermore nevertheless nonetheless "
    "this that these those it its it's he she they we you i i'm i've i'd i'll he's she's they're "
    "we're you're that's there's what's his her hers their theirs our ours my mine your yours him "
    "them us me who whom whose which what when where why how all any both each every either "
    "neither many much more most few fewer less least several some such other another no not none "
    "yes one two three four five six seven eight nine ten first second third fourth fifth last "
    "whenever wherever whatever whoever once perhaps maybe visiting next asked speaking according "
    "official officials police sources source reports report "
    "under-fire please note total attendance result results standings".split()
)
# titles come off the front of a person's name; alone, they and generic nouns name nothing
_TITLES = frozenset(
    "mr mr. mrs mrs. ms ms. dr dr. sir dame lord lady president vice prime minister ministers "
    "secretary general gen gen. chancellor premier senator sen sen. governor gov gov. mayor judge "
    "justice king queen prince princess pope cardinal bishop archbishop rev rev. father sheikh "
    "ambassador envoy commissioner chairman chairwoman chair director spokesman spokeswoman "
    "spokesperson deputy foreign interior defence defense finance state colonel col col. "
    "captain capt capt. lieutenant lt lt. sergeant commander admiral coach striker defender "
    "midfielder goalkeeper manager chief executive leader opposition former acting".split()
)
_GENERIC = _TITLES | frozenset(
    "state states department ministry government parliament congress senate house court police army "
    "party council committee commission union agency office city county province region republic "
    "kingdom federation league division cup club team group company corporation bank board "
    "national international federal central western eastern northern southern north south east west "
    "world news press radio tv television internet web "
    "human rights security cooperation organisation organization men women".split()
)


def clean_name(name: str) -> str:
    """A name as `names_in` writes it (case-folded, no possessive, no title), or "" when what is
    left names nothing: for names another finder found (a spaCy pipeline's entities)."""
    return _cut(name.split(), initial=False)


def names_in(text: str) -> frozenset[str]:
    """The names a text gives, case-folded, as written minus possessives and titles."""
    runs = list(_runs(text))
    mid_sentence = {name for name, initial in runs if not initial}
    # "Bush said" opening a sentence names the George Bush named mid-sentence elsewhere
    mid_sentence |= {name.rsplit(" ", 1)[-1] for name in mid_sentence}
    found = set()
    for name, initial in runs:
        if initial and " " not in name and name not in mid_sentence:
            continue
        found.add(name)
    return frozenset(found)


def _runs(text: str):
    """(case-folded name, whether it opens its sentence) for each capitalised run."""
    from polybrief.text.segment import split_sentences

    for line in text.splitlines():
        for sentence in _joined_at_acronyms(split_sentences(line, "en")):
            if _in_capitals(sentence):
                continue
            for match in _RUN.finditer(sentence):
                before = sentence[:match.start()].rstrip()
                initial = _opens(before)
                # a row of a results table ("Australia 11 8 2 1") opens with its name
                row = initial and re.match(r"\s*\d", sentence[match.end():]) is not None
                for k, part in enumerate(_at_titles(match.group(0).split())):
                    name = _cut(part, initial and k == 0)
                    if name:
                        opens = initial and k == 0 and not row and name.split()[0] == part[0].casefold()
                        yield name, opens


def _opens(before: str) -> bool:
    """Whether a word after `before` opens a sentence or a quote (a closing quote does not:
    '…," Ross said')."""
    if not before or before[-1] in "“‘«»„:;—–-":
        return True
    return before[-1] in "\"'" and (len(before) == 1 or before[-2].isspace())


def _joined_at_acronyms(sentences: list[str]) -> list[str]:
    """"U.S. Open" is one name: a sentence break after a dotted acronym is usually none."""
    joined: list[str] = []
    for sentence in sentences:
        if joined and re.search(r"\b(?:[A-Z]\.){2,}$", joined[-1]):
            joined[-1] += " " + sentence
        else:
            joined.append(sentence)
    return joined


def _at_titles(words: list[str]) -> list[list[str]]:
    """A run split where a title stands inside it: "Palestinian President Yasser Arafat" names
    Palestinian and Yasser Arafat; the title goes with neither."""
    parts: list[list[str]] = []
    current: list[str] = []
    for k, word in enumerate(words):
        if current and word.casefold() in _TITLES and k + 1 < len(words):
            parts.append(current)
            current = []
        current.append(word)
        # "Beijing's Tiananmen Square", "Australian Tom Moody": two names side by side
        if k + 1 < len(words) and (_POSSESSIVE.search(word) or (k == 0 and len(words) > 2 and _DEMONYM.search(word))):
            parts.append(current)
            current = []
    return [*parts, current] if current else parts


def _cut(words: list[str], initial: bool) -> str:
    words = [w.casefold() for w in words]
    if initial:
        while words and (words[0] in _COMMON or words[0] in _CONNECTOR_WORDS):
            words = words[1:]
    words[-1:] = [_POSSESSIVE.sub("", w) for w in words[-1:]]
    while len(words) > 1 and words[-1] in _CALENDAR:  # "Beijing May 5"
        words = words[:-1]
    while len(words) > 1 and (words[0] in _TITLES or words[0] in _CONNECTOR_WORDS):
        words = words[1:]
    if not words or (len(words) == 1 and (words[0] in _GENERIC or words[0] in _CALENDAR or words[0] in _COMMON
                                          or len(words[0]) < 2)):
        return ""
    if all(w in _GENERIC or w in _CONNECTOR_WORDS for w in words) and words[0] in _TITLES:
        return ""  # "Prime Minister", "Secretary of State": a title with nobody in it
    return " ".join(words)



def _in_capitals(sentence: str) -> bool:
    """A headline or a table row written in capitals: its capitals mark no names."""
    words = re.findall(r"[A-Za-z]{2,}", sentence)
    return len(words) >= 3 and sum(w.isupper() for w in words) / len(words) > 0.6
