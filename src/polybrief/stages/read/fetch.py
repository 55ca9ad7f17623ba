"""Fetch: articles from the web — RSS/Atom feeds and article URLs — for scheduled runs.

A URL input is fetched with a timeout; a feed yields one article per entry (the entry's page is
fetched for its full text, the entry's own text used when the page cannot be had), a page gives
its main text through trafilatura. One failing source becomes an outcome; the others go on.
"""

from __future__ import annotations

from collections.abc import Iterator

from polybrief.config import InputSettings
from polybrief.records import Article, Outcome
from polybrief.stages.read.parse import from_html, parse_text, too_large

USER_AGENT = "polybrief (+https://github.com/polybrief; news briefings)"


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def fetch_articles(url: str, settings: InputSettings) -> Iterator[Article | Outcome]:
    try:
        body, content_type = _get(url, settings)
    except Exception as exc:  # network errors of any kind: this source fails, the run goes on
        yield Outcome(url, "failed", f"cannot fetch: {_reason(exc)}")
        return
    if _looks_like_feed(body, content_type):
        yield from _from_feed(url, body, settings)
    elif len(body) > settings.max_bytes:  # a page is one article
        yield Outcome(url, "skipped", too_large(len(body), settings))
    else:
        yield _from_page(url, body)


def _get(url: str, settings: InputSettings) -> tuple[bytes, str]:
    import httpx

    with httpx.Client(timeout=settings.fetch_timeout, follow_redirects=True,
                      headers={"User-Agent": USER_AGENT}) as client:
        response = client.get(url)
        response.raise_for_status()
        if len(response.content) > settings.max_file_bytes:
            raise ValueError(too_large(len(response.content), settings, whole_file=True))
        return response.content, response.headers.get("content-type", "")


def _reason(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _looks_like_feed(body: bytes, content_type: str) -> bool:
    head = body[:1024].lstrip().lower()
    start = body[:4096].lower()
    return "rss" in content_type or "atom" in content_type or (head.startswith(b"<?xml")
                                                               and (b"<rss" in start or b"<feed" in start))


def _from_feed(url: str, body: bytes, settings: InputSettings) -> Iterator[Article | Outcome]:
    import feedparser

    feed = feedparser.parse(body)
    if feed.bozo and not feed.entries:
        yield Outcome(url, "failed", f"not a readable feed: {_reason(feed.bozo_exception)}")
        return
    for entry in feed.entries:
        link = entry.get("link", "")
        source = link or f"{url}#{entry.get('id', '')}"
        page: Article | Outcome | None = None
        if link:
            try:
                body = _get(link, settings)[0]
                page = Outcome(link, "skipped", too_large(len(body), settings)) if len(body) > settings.max_bytes \
                    else _from_page(link, body)
            except Exception as exc:
                page = Outcome(link, "failed", f"cannot fetch: {_reason(exc)}")
        if isinstance(page, Article):
            yield _with_feed_metadata(page, entry)
            continue
        text = _entry_text(entry)
        if text:  # the page failed, but the feed carries the text itself
            yield _with_feed_metadata(_article_from_text(text, source), entry)
        else:
            yield page or Outcome(source, "failed", "feed entry without a link or text")


def _entry_text(entry) -> str:
    import trafilatura

    html = (next((c.get("value", "") for c in entry.get("content", []) if c.get("value")), "")
            or entry.get("summary", ""))
    if not html:
        return ""
    return trafilatura.extract(f"<html><body><article>{html}</article></body></html>") or ""


def _with_feed_metadata(article: Article, entry) -> Article:
    import dataclasses
    import time

    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    date = time.strftime("%Y-%m-%d", parsed) if parsed else article.date
    return dataclasses.replace(article, title=article.title or entry.get("title", ""), date=date or article.date,
                               url=entry.get("link", article.url))


def _article_from_text(text: str, source: str) -> Article:
    return parse_text("\n\n".join(line for line in text.split("\n") if line.strip()), source, url=source)


def _from_page(url: str, body: bytes) -> Article | Outcome:
    html = body.decode("utf-8", errors="replace")
    result = from_html(html, url)
    if isinstance(result, Article) and not result.url:
        import dataclasses

        result = dataclasses.replace(result, url=url)
    return result
