"""Read: files and folders of articles → `Article` records, and an outcome for each failure.

Plain text is what analysts paste from news sites, so it carries debris: a leading `date 2024-11`
marker, a title line, a date line, photo captions and credits (`FOTO/AFP`, `© www.kremlin.ru`,
`Foto: Xinhua/STA`). The date and title become metadata, captions are kept apart (not
translated, still shown on the article page), and every other paragraph is kept.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from polybrief.config import InputSettings
from polybrief.records import Article, Outcome, content_id
from polybrief.stages.fetch import fetch_articles, is_url

EXTENSIONS = (".txt", ".md", ".json", ".jsonl", ".html", ".htm")

_DATE_MARKER = re.compile(r"^\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)\b[ \t]*", re.IGNORECASE)
_CREDIT = re.compile(
    r"(^©|\b(?:FOTO|Foto|Fotó|Photo|Fot\.|Fotografija|Zdjęcie|Slika|Forrás|Źródło)\s*[:/]\s*\S+)"
)
_TERMINAL = (".", "!", "?", "…", ":", ";")
_TEXT_FIELDS = ("text", "content", "body", "maintext")


@dataclass(frozen=True)
class ReadResult:
    articles: tuple[Article, ...]
    outcomes: tuple[Outcome, ...]  # inputs that did not become articles


def read_articles(inputs: Iterable[str | Path], settings: InputSettings = InputSettings()) -> ReadResult:
    """Read every input; a path that cannot be used becomes an outcome, never an exception."""
    articles: list[Article] = []
    outcomes: list[Outcome] = []
    seen: dict[str, str] = {}
    for path in _expand(inputs):
        if isinstance(path, Outcome):
            outcomes.append(path)
            continue
        items = fetch_articles(str(path), settings) if isinstance(path, str) else _read_file(path, settings)
        for item in items:
            if isinstance(item, Article):
                item = _checked(item, settings)
            if isinstance(item, Outcome):
                outcomes.append(item)
            elif item.id in seen:
                outcomes.append(Outcome(item.source, "duplicate", f"same text as {seen[item.id]}", item.id))
            else:
                seen[item.id] = item.source
                articles.append(item)
    return ReadResult(tuple(articles), tuple(outcomes))


def _expand(inputs: Iterable[str | Path]) -> Iterator[Path | str | Outcome]:
    for raw in inputs:
        if isinstance(raw, str) and is_url(raw):
            yield raw  # fetched, not read from disk
            continue
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if (p.is_file() or p.is_symlink()) and not _hidden(p, path))
        elif path.exists() or path.is_symlink():
            yield path
        else:
            yield Outcome(str(raw), "failed", "no such file or folder")


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _read_file(path: Path, settings: InputSettings) -> Iterator[Article | Outcome]:
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        yield Outcome(source, "skipped", f"unsupported file type '{suffix or path.name}'")
        return
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield Outcome(source, "failed", f"cannot read: {exc.strerror or exc}")
        return
    if len(raw) > settings.max_bytes:
        yield Outcome(source, "skipped", f"larger than input.max_bytes ({len(raw)} > {settings.max_bytes} bytes)")
        return
    text = _decode(raw)
    if text is None:
        yield Outcome(source, "failed", "not text (binary or undecodable bytes)")
        return
    if suffix in (".json", ".jsonl"):
        yield from _read_json(text, source, jsonl=suffix == ".jsonl")
    elif suffix in (".html", ".htm"):
        yield from_html(text, source)
    else:
        yield parse_text(text, source)


def _decode(raw: bytes) -> str | None:
    if b"\x00" in raw[:8192]:
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only for the rare non-UTF-8 file

    best = from_bytes(raw).best()
    return str(best) if best is not None else None


def _checked(item: Article, settings: InputSettings) -> Article | Outcome:
    if len(item.text.strip()) < settings.min_characters:
        return Outcome(item.source, "skipped", "empty or too short to translate", item.id)
    return item


def parse_text(text: str, source: str, title: str = "", date: str = "", url: str = "", outlet: str = "") -> Article:
    """Turn pasted article text into an Article, lifting date, title and captions out of it."""
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
        elif _CREDIT.search(block) or (_short_unpunctuated(block) and _credit_only(nxt) and i > 0):
            captions.append(block)
        else:
            paragraphs.append(block)
    if not title and paragraphs and _is_title(paragraphs[0]) and len(paragraphs) > 1:
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
        if blocks and not blocks[-1].endswith(_TERMINAL) and line[:1].islower():
            blocks[-1] += " " + line
        else:
            blocks.append(line)
    return blocks


def _date_line(block: str) -> str:
    if len(block) > 40 or not re.search(r"\b\d{4}\b", block):
        return ""
    import dateparser  # slow to import; most files need it once at most

    found = dateparser.parse(block, settings={"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year", "month"]})
    return found.date().isoformat() if found else ""


def _short_unpunctuated(block: str) -> bool:
    return len(block) < 120 and not block.endswith(_TERMINAL)


def _credit_only(block: str) -> bool:
    return bool(block) and len(block) < 60 and bool(_CREDIT.search(block))


def _is_title(block: str) -> bool:
    return len(block) <= 160 and (not block.endswith(".") or block.endswith(("«", "\"", "”")))


def _read_json(text: str, source: str, jsonl: bool) -> Iterator[Article | Outcome]:
    if jsonl:
        lines = [(f"{source}:{n}", line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    else:
        lines = [(source, text)]
    for where, chunk in lines:
        try:
            data = json.loads(chunk)
        except json.JSONDecodeError as exc:
            yield Outcome(where, "failed", f"invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        records = data if isinstance(data, list) else [data]
        for i, record in enumerate(records):
            label = where if len(records) == 1 else f"{where}[{i}]"
            yield _from_record(record, label)


def _from_record(record: Any, source: str) -> Article | Outcome:
    if not isinstance(record, dict):
        return Outcome(source, "failed", f"expected a JSON object, found {type(record).__name__}")
    body = next((record[f] for f in _TEXT_FIELDS if isinstance(record.get(f), str)), None)
    if body is None:
        return Outcome(source, "failed", f"no text field (one of: {', '.join(_TEXT_FIELDS)})")
    meta = {k: record.get(k) for k in ("title", "date", "url")}
    meta = {k: v if isinstance(v, str) else "" for k, v in meta.items()}
    outlet = record.get("source") or record.get("outlet") or ""
    return parse_text(body, source, outlet=outlet if isinstance(outlet, str) else "", **meta)


def from_html(html: str, source: str) -> Article | Outcome:
    import trafilatura  # heavy; only HTML inputs need it

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    if doc is None or not doc.text:
        return Outcome(source, "failed", "no article text found in the HTML")
    text = "\n\n".join(line for line in doc.text.split("\n") if line.strip())
    return parse_text(text, source, title=doc.title or "", date=doc.date or "", url=doc.url or "", outlet=doc.sitename or "")
