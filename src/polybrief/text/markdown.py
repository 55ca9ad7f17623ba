"""Rendering untrusted text into Markdown: the one escaping function, and the template env."""

from __future__ import annotations

import re
from functools import lru_cache

# every character that can open inline markup in CommonMark (or a GFM table or strikethrough);
# underscores all of them: "__x__" is emphasis whatever stands around it
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~!])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # NUL and kin: a renderer replaces or drops them
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])", re.MULTILINE)


def escape(text: object) -> str:
    """Article text as inert Markdown: no links, HTML, emphasis, headings or table breaks."""
    value = " ".join(_CONTROL.sub("", str(text)).split())  # one line: no front-matter or block breakers
    # only an ampersand that would start an entity ("&copy;"): "Sears, Roebuck & Co." stays readable raw
    value = re.sub(r"&(?=#?\w+;)", "&amp;", value)
    value = _SPECIAL.sub(r"\\\1", value)
    value = value.replace("{", "&#123;").replace("}", "&#125;")
    return _LINE_START.sub(_escape_marker, value)


def _escape_marker(m: re.Match[str]) -> str:
    marker = m.group(2)
    if marker[0].isdigit():  # "1." → "1\." keeps the number, stops the list
        return m.group(1) + marker[:-1] + "\\" + marker[-1]
    return m.group(1) + "\\" + marker


def link_target(url: object) -> str:
    """An http(s) URL made safe as a Markdown link target (no spaces, brackets or quotes left to
    end it early); anything else gives "" and is shown as text instead."""
    from urllib.parse import quote

    value = str(url).strip()
    if not re.match(r"https?://", value, re.IGNORECASE):
        return ""
    return quote(value, safe=":/?#&=%+@,;~!$*'.-_")


@lru_cache(maxsize=1)
def environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("polybrief", "templates"),
        autoescape=False,  # Markdown, not HTML: untrusted values go through `md` instead
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = escape
    env.filters["link"] = link_target
    return env
