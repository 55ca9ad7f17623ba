"""Names in English text: capitalised words and runs of them that do not start a sentence.

Used to link articles that mention the same people, places and bodies (clustering), to say who a
quote or a figure is attributed to, and to list who and what a story names.
"""

from __future__ import annotations

import re

_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][\w'-]{2,}(?:\s+[A-Z][\w'-]+)*)")
_NOT_NAMES = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)


def names_in(text: str) -> frozenset[str]:
    """Capitalised words and runs of them that do not start a sentence: people, places, bodies
    (month and day names are capitalised in English but name nothing)."""
    found = set()
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        for match in _NAME.finditer(sentence):
            name = match.group(1).casefold()
            if match.start() > 0 and name not in _NOT_NAMES:
                found.add(name)
    return frozenset(found)
