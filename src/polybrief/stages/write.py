"""Write: briefings and article pages → one edition folder of Markdown, plus `run.json`.

The edition is assembled in a hidden temp folder and renamed into place when complete, and
`latest` is switched to it only then: a reader or a crash never sees half an edition.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from polybrief.errors import StoreError
from polybrief.records import Article, Briefing, Translation
from polybrief.report import RunReport
from polybrief.text.markdown import environment


def write_edition(
    output_dir: Path,
    run_id: str,
    briefings: Sequence[Briefing],
    articles: Sequence[Article],
    translations: Sequence[Translation],
    run: RunReport,
) -> Path:
    """The edition folder. `latest` moves to it only when it has stories: a run with nothing new
    keeps its record (run.json, index.md) but does not hide the last real edition."""
    env = environment()
    translated = {t.article_id: t for t in translations}
    ordered = sorted(briefings, key=lambda b: (b.date, len(b.sources)), reverse=True)
    final = output_dir / run_id
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{run_id}.", dir=output_dir))
        staging.chmod(0o755)  # mkdtemp makes it private; an edition is for reading
        (staging / "stories").mkdir()
        (staging / "articles").mkdir()
        _write(staging / "index.md", render_index(run, ordered))
        for b in ordered:
            # one line per value: a folded line could start with `---` and end the front matter
            front = yaml.safe_dump(_front_matter(b), allow_unicode=True, sort_keys=False, width=float("inf"))
            story = env.get_template("story.md.j2").render(b=b, front_matter=front)
            _write(staging / "stories" / f"{b.slug}.md", story)
        cited_in: dict[str, list[tuple[str, str]]] = {}
        for b in ordered:
            for s in b.sources:
                cited_in.setdefault(s.article_id, []).append((b.headline, b.slug))
        for a in articles:
            if a.id in translated:
                page = env.get_template("article.md.j2").render(a=a, t=translated[a.id],
                                                                cited_in=cited_in.get(a.id, []))
                _write(staging / "articles" / f"{a.id}.md", page)
        _write(staging / "run.json", json.dumps(run.to_dict(), indent=2, ensure_ascii=False) + "\n")
        if final.exists():
            shutil.rmtree(final)
        os.rename(staging, final)
        if ordered:
            _point_latest(output_dir, run_id)
    except OSError as exc:
        raise StoreError(f"cannot write the edition to {output_dir}: {exc.strerror or exc}") from None
    return final


def render_index(run: RunReport, briefings: Sequence[Briefing], folder: Path | None = None) -> str:
    """The edition's index; with `folder`, for a reader outside it (absolute paths, no links)."""
    ordered = sorted(briefings, key=lambda b: (b.date, len(b.sources)), reverse=True)
    return environment().get_template("index.md.j2").render(run=run, briefings=ordered, folder=str(folder or ""))


def latest_edition(output_dir: Path) -> str:
    """The run id `latest` points at, or "" before the first edition with stories."""
    link = output_dir / "latest"
    return os.readlink(link) if link.is_symlink() else ""


def _front_matter(b: Briefing) -> dict[str, Any]:
    return {
        "id": b.story_id,
        "title": b.headline,
        "date": b.date,
        "languages": list(b.languages),
        "sources": [{"n": s.number, "article": s.article_id, "lang": s.lang, "source": s.source} for s in b.sources],
    }


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _point_latest(output_dir: Path, run_id: str) -> None:
    link = output_dir / "latest"
    tmp = output_dir / ".latest.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(run_id, tmp)
    os.replace(tmp, link)

