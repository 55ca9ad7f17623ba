"""Who said a quote: the attribution around it, as English news writes one.

"X said", "said X", "X, the foreign minister, said", "according to X", "X told reporters",
"… – X"; a pronoun or "the minister said" stands for the last speaker named before; a quote with
no attribution of its own takes the one of the sentence before ("Powell said:" and then the
quote). No attribution gives "": the briefing says "Unnamed" only then. Measured with
`bench/reader.py` on quotes labelled by hand from WikinewsSum articles.
"""

from __future__ import annotations

import re

# verbs whose subject is the speaker, on either side ("Powell said", "said Powell")
_EITHER = (r"said|says|added|adds|stated|states|explained|explains|warned|warns|noted|notes|argued|argues"
           r"|insisted|insists|declared|declares|wrote|writes|replied|replies|continued|continues|commented"
           r"|comments|claimed|claims|stressed|stresses|recalled|recalls|concluded|concludes|remarked"
           r"|conceded|concedes|acknowledged|acknowledges|admitted|admits|announced|announces")
# verbs whose object follows: only a name before them speaks ("Toledo told the summit")
_BEFORE_ONLY = r"told|tells|asked|asks|urged|urges|say"
_VERB = re.compile(rf"(?<!\bwas )(?<!\bwere )(?<!\bbeen )(?<!\bbe )\b(?:(?P<either>{_EITHER})|{_BEFORE_ONLY})\b")
_ANAPHOR = re.compile(rf"\b(?:he|she|they|the [a-z]+)\s+(?:(?:has|had|have|also|later|then)\s+)?"
                      rf"(?:{_EITHER}|{_BEFORE_ONLY})\b"
                      rf"|\b(?:{_EITHER})\s+(?:he|she|they|the [a-z]+)\b", re.IGNORECASE)
_ACCORDING = re.compile(r"\baccording to\b", re.IGNORECASE)
_DASHED = re.compile(r"^\W*[-–—]\s*(?P<name>.+?)\W*$")  # "…" - Kenny Davies.
# an aside between a name and its verb: "Mourinho, who worked with Porto last year, said"
_ASIDE = re.compile(r",\s+(?:who|whose|which|the|a|an)\b[^,]{0,160},")
_REACH = 45  # characters a name may stand from its verb: "said Secretary of State Colin Powell"


def speaker_of(outside: str, names: frozenset[str], before: str = "", last_speaker: str = "") -> str:
    """The speaker named in `outside` (a sentence with its quote replaced by "it"), else in
    `before` (the sentence before, when this one has no attribution of its own), else
    `last_speaker` for a pronoun. `names`: the names of the whole article (`names_in`), so a
    name that opens a sentence here is still known."""
    own = attributed(outside, names)
    if own:
        return own
    if _ANAPHOR.search(outside):
        return last_speaker
    if before and not _VERB.search(outside) and not _ACCORDING.search(outside):
        return attributed(before, names) or (last_speaker if _ANAPHOR.search(before) else "")
    return ""


def attributed(text: str, names: frozenset[str]) -> str:
    """The name standing nearest a speech verb, after "according to", or after a closing dash."""
    text = _ASIDE.sub(" ", text)
    spans = _name_spans(text, names)
    if not spans:
        return ""
    dashed = _DASHED.match(text.removeprefix("it").strip()) if text.startswith("it") else None
    if dashed and any(s[0] >= len(text) - len(dashed["name"]) - 2 for s in spans):
        return _written(text, spans[-1])
    for match in _ACCORDING.finditer(text):
        after = [s for s in spans if 0 <= s[0] - match.end() <= _REACH]
        if after:
            return _written(text, min(after, key=lambda s: s[0]))
    best: tuple[int, tuple[int, int]] | None = None
    for verb in _VERB.finditer(text):
        for span in spans:
            if span[1] <= verb.start():
                gap = verb.start() - span[1]
            elif (verb["either"] and not re.search(r"\b(?:that|he|she|it|they)\b", text[verb.end():span[0]])
                  and not text[span[1]:].startswith(" it")):  # "said Maathai «…»": Maathai is talked of
                gap = span[0] - verb.end()
            else:
                continue
            if 0 <= gap <= _REACH and (best is None or gap < best[0]):
                best = (gap, span)
    return _written(text, best[1]) if best else ""


def _name_spans(text: str, names: frozenset[str]) -> list[tuple[int, int]]:
    """Where each name stands in the text (case-folded names, found as written)."""
    folded = text.casefold()
    spans = []
    for name in names:
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", folded):
            if text[match.start()].isupper():  # "task force" is no name where "Task Force" is
                spans.append((match.start(), match.end()))
    # a name inside a longer one ("bush" in "george bush") is that one
    return sorted(s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans))


def _written(text: str, span: tuple[int, int]) -> str:
    return text[span[0]:span[1]]
