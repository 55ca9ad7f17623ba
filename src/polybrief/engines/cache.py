"""A persistent cache of model outputs, and the wrappers that put it in front of an engine.

Keys are (kind, model name@revision, language, input text): changing the model or its revision
never serves stale output, and a re-run of unchanged input never calls the model. SQLite in WAL
mode, so a crash mid-run keeps everything committed before it.

The cache is derived data: a database damaged at open or at any later query (garbage pages, a
truncated file) is moved aside to `<name>.damaged-<time>` with one warning, and the run goes on
with a fresh one, recomputing what was lost. Only a cache that cannot be created at all (no
permission, no space) stops the run. The story store, which holds history, never heals this way.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from polybrief.engines.loading import BusyClock
from polybrief.engines.summarise import Summariser
from polybrief.engines.translate import Translator
from polybrief.errors import StoreError

log = logging.getLogger("polybrief")
T = TypeVar("T")


class TextCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self.counts: Counter[str] = Counter()  # "<kind> hits" / "<kind> misses" in this process
        self.moved_aside: list[Path] = []  # damaged databases set aside in this process
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:  # the file is there but is no sound database
            self._db = self._afresh(exc)

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        except (OSError, sqlite3.OperationalError) as exc:
            raise StoreError(f"cannot open the cache {self.path}: {exc}") from None
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS outputs (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        except sqlite3.OperationalError as exc:  # locked, read-only: not damage, nothing to heal
            db.close()
            raise StoreError(f"cannot open the cache {self.path}: {exc}") from None
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _afresh(self, exc: sqlite3.DatabaseError) -> sqlite3.Connection:
        """Move the damaged database (and its WAL files) aside, say so once, open a new one."""
        stamp = time.strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        try:
            for suffix in ("", "-wal", "-shm"):
                part = self.path.with_name(self.path.name + suffix)
                if part.exists():
                    part.replace(aside.with_name(aside.name + suffix))
        except OSError as move_error:
            raise StoreError(f"the cache {self.path} is damaged ({exc}) and cannot be moved aside: "
                             f"{move_error}") from None
        self.moved_aside.append(aside)
        log.warning("the cache %s was damaged (%s): moved aside to %s; starting a fresh cache (what it held "
                    "is recomputed)", self.path, exc, aside.name)
        try:
            return self._open()
        except sqlite3.DatabaseError as again:
            raise StoreError(f"cannot open a fresh cache at {self.path}: {again}") from None

    def _query(self, run: Callable[[sqlite3.Connection], T]) -> T:
        """`run` on the database; on a damaged one, once more on a fresh database. Holds the lock."""
        try:
            return run(self._db)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot use the cache {self.path}: {exc}") from None
        except sqlite3.DatabaseError as exc:  # malformed image, not a database, corrupt index
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = self._afresh(exc)
            return run(self._db)

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
        def select(db: sqlite3.Connection) -> dict[str, str]:
            found: dict[str, str] = {}
            for start in range(0, len(keys), 500):
                chunk = list(keys[start:start + 500])
                marks = ",".join("?" * len(chunk))
                found.update(db.execute(f"SELECT key, value FROM outputs WHERE key IN ({marks})", chunk).fetchall())
            return found

        with self._lock:
            return self._query(select)

    def put_many(self, items: dict[str, str]) -> None:
        def insert(db: sqlite3.Connection) -> None:
            with db:
                db.executemany("INSERT OR REPLACE INTO outputs VALUES (?, ?)", items.items())

        with self._lock:
            self._query(insert)

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
    clock = BusyClock()  # wall seconds this process spent summarising: a run's stage table reads it
    calls = 0  # texts given to a summariser (cache misses)
    _count = threading.Lock()

    def __init__(self, inner: Summariser, cache: TextCache) -> None:
        self.inner, self.cache, self.key, self.window = inner, cache, inner.key, inner.window

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.inner.count_tokens(texts)

    def summarise(self, texts: Sequence[str]) -> list[str]:
        return _cached_call(self.cache, ("summarise", self.key), texts, self._timed)

    def _timed(self, texts: Sequence[str]) -> list[str]:
        with CachedSummariser._count:
            CachedSummariser.calls += len(texts)
        with CachedSummariser.clock.timing():
            return self.inner.summarise(texts)
