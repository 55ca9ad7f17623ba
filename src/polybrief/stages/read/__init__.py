"""Read: files, folders, URLs and feeds of articles → `Article` records, and an outcome for each
input that does not become one. Turning one text into an Article is `stages.parse`'s work."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from polybrief.config import InputSettings
from polybrief.records import Article, Outcome
from polybrief.stages.read.fetch import fetch_articles, is_url
from polybrief.stages.read.parse import from_html, is_title, parse_text, too_large

EXTENSIONS = (".txt", ".md", ".json", ".jsonl", ".html", ".htm")

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
        for item in _apart(items, str(path)):
            if isinstance(item, Article):
                item = _checked(item, settings)
            if isinstance(item, Outcome):
                outcomes.append(item)
            elif item.id in seen:
                outcomes.append(Outcome(item.source, "duplicate", f"same text as {seen[item.id]}", item.id))
            else:
                seen[item.id] = item.source
                articles.append(item)
    return ReadResult(tuple(own_titles(articles)), tuple(outcomes))


def own_titles(articles: list[Article]) -> list[Article]:
    """A title that different articles of one run share is the site's name ("The Japan Times
    Online", a feed's or a scraper's page title), not a headline: each takes its text's first line
    instead, when that line reads as a title."""
    shared = {t for t, n in Counter(a.title for a in articles if a.title).items() if n > 1}
    return [dataclasses.replace(a, title=a.paragraphs[0].strip("»«\"„“” "), paragraphs=a.paragraphs[1:])
            if a.title in shared and len(a.paragraphs) > 1 and is_title(a.paragraphs[0])
            and a.paragraphs[0].casefold() != a.title.casefold() else a
            for a in articles]


def _apart(items: Iterator[Article | Outcome], source: str) -> Iterator[Article | Outcome]:
    """The items of one input; an error while reading it (a parser's, a decoder's, one no rule
    foresaw) is that input's `failed` outcome, and the run reads the next input."""
    try:
        yield from items
    except Exception as exc:  # noqa: BLE001 - one bad input fails alone
        first = str(exc).strip().splitlines()
        yield Outcome(source, "failed", f"cannot read: {type(exc).__name__}" + (f": {first[0]}" if first else ""))


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
    records = suffix in (".json", ".jsonl")  # many articles to a file: the limit is per record
    if len(raw) > settings.max_file_bytes or (not records and len(raw) > settings.max_bytes):
        yield Outcome(source, "skipped", too_large(len(raw), settings, whole_file=records))
        return
    text = _decode(raw)
    if text is None:
        yield Outcome(source, "failed", "not text (binary or undecodable bytes)")
        return
    if records:
        yield from _read_json(text, source, jsonl=suffix == ".jsonl", max_bytes=settings.max_bytes)
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


def _read_json(text: str, source: str, jsonl: bool, max_bytes: int) -> Iterator[Article | Outcome]:
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
        except RecursionError:  # thousands of nested arrays: Python's parser gives up, the run does not
            yield Outcome(where, "failed", "invalid JSON: nested too deeply to read")
            continue
        records = data if isinstance(data, list) else [data]
        for i, record in enumerate(records):
            label = where if len(records) == 1 else f"{where}[{i}]"
            size = len(chunk.encode("utf-8")) if len(records) == 1 else _json_size(record)
            if size > max_bytes:
                yield Outcome(label, "skipped", f"article larger than input.max_bytes ({size} > {max_bytes} bytes)")
            else:  # one record that breaks a rule fails alone, the file's other records are read
                yield from _apart(_one_record(record, label), label)


def _one_record(record: Any, label: str) -> Iterator[Article | Outcome]:
    yield _from_record(record, label)


def _json_size(record: Any) -> int:
    return len(json.dumps(record, ensure_ascii=False).encode("utf-8"))


def _from_record(record: Any, source: str) -> Article | Outcome:
    if not isinstance(record, dict):
        return Outcome(source, "failed", f"expected a JSON object, found {type(record).__name__}")
    body = next((record[f] for f in _TEXT_FIELDS if isinstance(record.get(f), str)), None)
    if body is None:
        return Outcome(source, "failed", f"no text field (one of: {', '.join(_TEXT_FIELDS)})")
    meta = {k: v if isinstance(v := record.get(k), str) else "" for k in ("title", "date", "url")}
    outlet = record.get("source") or record.get("outlet") or ""
    return parse_text(body, source, outlet=outlet if isinstance(outlet, str) else "", **meta)


