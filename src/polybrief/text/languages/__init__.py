"""The words the text rules need, one YAML file per language (`sl.yaml`, `hu.yaml` …) and one for
every language (`common.yaml`): abbreviations, month names, number and scale words, page and year
words, photo-credit words. Adding a language is one file here (docs/adding-a-language.md).

Read once per process, when a rule first asks (nothing is read at import)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

COMMON = "common"


@cache
def all_languages() -> dict[str, dict[str, Any]]:
    """Language code → its data; `common` holds what every language shares."""
    folder = resources.files(__package__)
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            found[entry.name.removesuffix(".yaml")] = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
    return found


def common(key: str) -> Any:
    """What `common.yaml` says under `key` (nothing: an empty list)."""
    return all_languages().get(COMMON, {}).get(key, [])


@cache
def by_language(key: str) -> dict[str, Any]:
    """Language code → what its file says under `key`, for the languages whose file has it."""
    return {code: data[key] for code, data in all_languages().items() if code != COMMON and key in data}


@cache
def merged(key: str) -> dict[str, Any]:
    """One table of `key` over every language (a word the same in two languages means the same)."""
    table: dict[str, Any] = {}
    for value in by_language(key).values():
        table.update(value)
    return table


@cache
def union(key: str) -> frozenset[str]:
    """Every word listed under `key`, in any language and in `common.yaml`."""
    return frozenset(common(key)).union(*by_language(key).values())
