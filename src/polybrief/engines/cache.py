"""A persistent cache of model outputs, and the wrappers that put it in front of an engine.

Keys are (kind, model name@revision, language, input text): changing the model or its revision
never serves stale output, and a re-run of unchanged input never calls the model. SQLite in WAL
mode, so a crash mid-run keeps everything committed before it.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from polybrief.engines.summarise import Summariser
from polybrief.engines.translate import Translator
from polybrief.errors import StoreError


class TextCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS outputs (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the cache {path}: {exc}") from None
        self._lock = threading.Lock()
        self.counts: Counter[str] = Counter()  # "<kind> hits" / "<kind> misses" in this process

    @property
    def hits(self) -> int:
        return sum(n for k, n in self.counts.items() if k.endswith(" hits"))

    @property
    def misses(self) -> int:
        return sum(n for k, n in self.counts.items() if k.endswith(" misses"))

    @staticmethod
    def key(*parts: str) -> str:
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start:start + 500])
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(f"SELECT key, value FROM outputs WHERE key IN ({marks})", chunk)
                found.update(rows.fetchall())
        return found

    def put_many(self, items: dict[str, str]) -> None:
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO outputs VALUES (?, ?)", items.items())

    def close(self) -> None:
        self._db.close()


FLUSH_EVERY = 256  # inputs per slice: a run killed mid-way keeps all slices finished before


def _cached_call(cache: TextCache, parts: tuple[str, ...], texts: Sequence[str], compute) -> list[str]:
    keys = [TextCache.key(*parts, t) for t in texts]
    found = cache.get_many(sorted(set(keys)))
    # identical inputs run once; sorted by length so that each slice batches well on its own
    todo = sorted({t for t, k in zip(texts, keys, strict=False) if k not in found}, key=lambda t: (len(t), t))
    hits = len(texts) - len([k for k in keys if k not in found])
    cache.counts.update({f"{parts[0]} hits": hits, f"{parts[0]} misses": len(todo)})
    for start in range(0, len(todo), FLUSH_EVERY):
        piece = todo[start:start + FLUSH_EVERY]
        new = {TextCache.key(*parts, t): out for t, out in zip(piece, compute(piece), strict=False)}
        cache.put_many(new)
        found.update(new)
    return [found[k] for k in keys]


class CachedTranslator:
    def __init__(self, inner: Translator, cache: TextCache) -> None:
        self.inner, self.cache, self.key = inner, cache, inner.key

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.inner.count_tokens(texts)

    def known(self, texts: Sequence[str], src_lang: str) -> dict[str, str]:
        """The cached English of those of `texts` that have one (a look-up: nothing is counted)."""
        keys = {t: TextCache.key("translate", self.key, src_lang, t) for t in texts}
        found = self.cache.get_many(sorted(set(keys.values())))
        return {t: found[k] for t, k in keys.items() if k in found}

    def translate(self, texts: Sequence[str], src_lang: str) -> list[str]:
        return _cached_call(self.cache, ("translate", self.key, src_lang), texts,
                            lambda todo: self.inner.translate(todo, src_lang))


class CachedSummariser:
    def __init__(self, inner: Summariser, cache: TextCache) -> None:
        self.inner, self.cache, self.key, self.window = inner, cache, inner.key, inner.window

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.inner.count_tokens(texts)

    def summarise(self, texts: Sequence[str]) -> list[str]:
        return _cached_call(self.cache, ("summarise", self.key), texts, self.inner.summarise)
