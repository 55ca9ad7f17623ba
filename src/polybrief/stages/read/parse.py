"""Parse: pasted article text or an HTML page → one `Article`, and the input limits' wording.

Plain text is what analysts paste from news sites, so it carries debris: a leading `date 2024-11`
marker, a title line, a date line, photo captions and credits (`FOTO/AFP`, `© www.kremlin.ru`,
`Foto: Xinhua/STA`). The date and title become metadata, captions are kept apart (not
translated, still shown on the article page), and every other paragraph is kept: a paragraph
that mentions a credit is text, not a caption.
"""

from __future__ import annotations

import html
import re
from functools import cache

from polybrief.config import InputSettings
from polybrief.records import Article, Outcome, content_id
from polybrief.text.dates import dates_in_text
from polybrief.text.languages import union
from polybrief.text.segment import SENTENCE_ENDS

_DATE_MARKER = re.compile(r"^\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)\b[ \t]*", re.IGNORECASE)


@cache
def _credit_word() -> str:
    """A photo credit's first word in any language (text/languages: credit_words), then ':' or '/';
    a short form with its dot may be followed by a space alone ("Fot. PAP/Radek Pietruszka"), then
    a capital."""
    words = sorted(union("credit_words"), key=len, reverse=True)
    short = [w for w in words if w.endswith(".")]
    either = r"\b(?:" + "|".join(map(re.escape, words)) + r")\s*[:/]\s*"
    return rf"(?:{either}|\b(?:" + "|".join(map(re.escape, short)) + r")\s+(?=[A-ZÀ-ÞĀ-Ž]))" if short else either


@cache
def _credit() -> re.Pattern[str]:
    return re.compile(rf"(^©|{_credit_word()}\S+)")


@cache
def _trailing_credit() -> re.Pattern[str]:
    """A credit that ends a long paragraph: "… the talks. (Foto: AP)" loses only "(Foto: AP)"."""
    return re.compile(rf"\(?\s*{_credit_word()}[^.!?()]{{1,60}}\)?\s*$")


# a photo caption with its credit is a line or two; a longer block that mentions a credit is text
_CAPTION_MAX = 160
_CREDIT_REST = 40  # what may follow a credit's first word: "Foto: Borut Živulović/Bobo"
def too_large(size: int, settings: InputSettings, whole_file: bool = False) -> str:
    """Which limit an input broke, in the words run.json keeps."""
    if whole_file or size > settings.max_file_bytes:
        return f"file larger than input.max_file_bytes ({size} > {settings.max_file_bytes} bytes)"
    return f"article larger than input.max_bytes ({size} > {settings.max_bytes} bytes)"


def parse_text(text: str, source: str, title: str = "", date: str = "", url: str = "", outlet: str = "") -> Article:
    """Turn pasted article text into an Article, lifting date, title and captions out of it."""
    text = html.unescape(text) if "&" in text else text  # "Sears, Roebuck &amp; Co." pasted from a page
    marker = _DATE_MARKER.match(text)
    if marker:
        date = date or marker.group(1)
        text = text[marker.end():]
    blocks = _blocks(text)
    captions: list[str] = []
    paragraphs: list[str] = []
    for i, block in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else ""
        if not date and i < 4 and (found := _date_line(block)):
            date = found
        elif _short_unpunctuated(block) and _credit_only(nxt) and i > 0:
            captions.append(block)  # the caption line above its credit line
        else:
            text, caption = _split_credit(block)
            captions += [caption] if caption else []
            paragraphs += [text] if text else []
    if not title and paragraphs and is_title(paragraphs[0]) and len(paragraphs) > 1:
        title = paragraphs.pop(0)
    article_text = "\n".join([title, *paragraphs])
    return Article(
        id=content_id(article_text),
        source=source,
        paragraphs=tuple(paragraphs),
        title=title.strip("»«\"„“” "),
        date=date,
        url=url,
        outlet=outlet,
        captions=tuple(captions),
    )


def _blocks(text: str) -> list[str]:
    """Paragraphs: blank-line separated; in single-newline text, lines re-joined where a
    sentence was broken across them (the next line starts in lower case)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if re.search(r"\n\s*\n", text):
        return [" ".join(b.split()) for b in re.split(r"\n\s*\n", text) if b.strip()]
    blocks: list[str] = []
    for line in (" ".join(x.split()) for x in text.split("\n")):
        if not line:
            continue
        if blocks and not blocks[-1].endswith(SENTENCE_ENDS) and line[:1].islower():
            blocks[-1] += " " + line
        else:
            blocks.append(line)
    return blocks


def _date_line(block: str) -> str:
    if len(block) > 40 or not re.search(r"\b\d{4}\b", block):
        return ""
    named = dates_in_text(block)  # inflected month names, which dateparser mostly misses
    if named and len(named[0]) >= 7:
        return named[0]
    import dateparser  # slow to import; numeric and other forms ("30/11/2024")

    found = dateparser.parse(block, settings={"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year", "month"]})
    return found.date().isoformat() if found else ""


def _split_credit(block: str) -> tuple[str, str]:
    """(text to translate, caption) of a block. Captions with their credits ("Putin in Beijing.
    Foto: Xinhua/STA", one or several) are a caption; a paragraph that mentions a credit keeps all
    its text, less a credit at its very end."""
    if not _credit().search(block):
        return block, ""
    *captions, rest = _credit().split(block)[::2]  # the texts before, between and after the credits
    if all(len(c.strip()) <= _CAPTION_MAX for c in captions) and len(rest.strip()) <= _CREDIT_REST:
        return "", block
    trailing = _trailing_credit().search(block)
    if trailing and trailing.start() > 0:
        return block[:trailing.start()].rstrip(), trailing.group(0).strip()
    return block, ""


def _short_unpunctuated(block: str) -> bool:
    return len(block) < 120 and not block.endswith(SENTENCE_ENDS)


def _credit_only(block: str) -> bool:
    return bool(block) and len(block) < 60 and bool(_credit().search(block))


def is_title(block: str) -> bool:
    """A block that reads as a headline: short, and not ended as a sentence is."""
    return len(block) <= 160 and (not block.endswith(".") or block.endswith(("«", "\"", "”")))


def from_html(html: str, source: str) -> Article | Outcome:
    import trafilatura  # heavy; only HTML inputs need it

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False,
                                      as_dict=False)
    if doc is None or isinstance(doc, dict) or not doc.text:
        return Outcome(source, "failed", "no article text found in the HTML")
    text = "\n\n".join(line for line in doc.text.split("\n") if line.strip())
    return parse_text(text, source, title=doc.title or "", date=doc.date or "", url=doc.url or "",
                      outlet=doc.sitename or "")
