"""Name finders behind one interface: the model-free default (`polybrief.text.names`) and, for users
who installed one the official way, a spaCy pipeline (`pip install spacy` and
`python -m spacy download en_core_web_sm`). Chosen by `briefing.names` in config.yaml.

Both return case-folded names, possessives folded and titles left out, so the briefing's "Named"
list reads the same whichever finds them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

from polybrief.errors import ModelError

# spaCy's OntoNotes labels that name a person, a place, a body or an event; not dates or amounts
_LABELS = frozenset("PERSON NORP FAC ORG GPE LOC PRODUCT EVENT WORK_OF_ART LAW".split())


class NameFinder(Protocol):
    key: str

    def names(self, text: str) -> frozenset[str]: ...


class BuiltinNames:
    """Capitalised runs, cut back by rules (`polybrief.text.names`): no model, measured on CoNLL-2003."""

    key = "builtin"

    def names(self, text: str) -> frozenset[str]:
        from polybrief.text.names import names_in

        return names_in(text)


class SpacyNames:
    """The entities a spaCy pipeline finds, as `names_in` writes names."""

    def __init__(self, pipeline: str) -> None:
        try:
            import spacy
        except ImportError:
            raise ModelError(f"briefing.names is spacy but spaCy is not installed: pip install spacy && "
                             f"python -m spacy download {pipeline}") from None
        try:
            # only the parts that find entities: the parser and lemmatiser cost time and find none
            self._nlp = spacy.load(pipeline, exclude=["parser", "lemmatizer", "textcat"])
        except OSError:
            raise ModelError(f"the spaCy pipeline {pipeline} is not installed: python -m spacy download {pipeline} "
                             f"(or set briefing.spacy_pipeline to an installed pipeline or its folder)") from None
        self.key = f"spacy:{pipeline}"

    def names(self, text: str) -> frozenset[str]:
        from polybrief.text.names import clean_name

        found = set()
        for line in text.splitlines():
            for entity in self._nlp(line).ents if line.strip() else ():
                if entity.label_ in _LABELS:
                    # "the White House", "Bush's": as the built-in finder writes them; a lone word
                    # only when that finder would take it for a name ("Secretary" is none)
                    name = re.sub(r"['’]s?$", "", re.sub(r"^the\s+", "", entity.text.strip(), flags=re.IGNORECASE))
                    name = " ".join(name.split()).casefold() if " " in name.strip() else clean_name(name)
                    if name:
                        found.add(name)
        return frozenset(found)


FINDERS = {"builtin": BuiltinNames, "spacy": SpacyNames}


@lru_cache(maxsize=4)
def get_name_finder(kind: str = "builtin", pipeline: str = "en_core_web_sm") -> NameFinder:
    """The configured finder, loaded once per process."""
    return SpacyNames(pipeline) if kind == "spacy" else FINDERS[kind]()
