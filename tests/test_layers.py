"""The layer table of docs/architecture.md, checked against the imports (an AST walk of every
module, imports inside functions included): text rules, engines, stages and the pipeline never
import Prefect or the layers above them, and no module imports a private module of another."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "src" / "polybrief"
# layer → the polybrief layers it may import (besides itself); None: any
ALLOWED = {
    "text": set(),
    "engines": {"config", "errors", "text"},
    "stages": {"config", "errors", "records", "report", "engines", "text", "stopping", "progress"},
    "pipeline": {"config", "errors", "records", "report", "engines", "stages", "text", "stopping", "progress",
                 "preflight"},
    "records": set(),
    "report": {"records"},
    "config": {"errors"},
    "errors": set(),
    "stopping": {"errors"},
}
PREFECT_FREE = {"text", "engines", "stages", "pipeline", "records", "report", "config", "errors", "stopping"}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports():
    for path in ROOT.rglob("*.py"):
        module = ".".join(("polybrief", *path.relative_to(ROOT).with_suffix("").parts)).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                yield from ((module, alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module == "polybrief":  # from polybrief import stopping
                    yield from ((module, f"polybrief.{alias.name}") for alias in node.names)
                else:
                    yield module, node.module


IMPORTS = sorted(set(_imports()))


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_a_layer_imports_only_the_layers_below_it(layer):
    wrong = [(m, target) for m, target in IMPORTS
             if _layer(m) == layer and target.startswith("polybrief.")
             and _layer(target) not in ALLOWED[layer] | {layer}]
    assert wrong == []


def test_only_the_flows_and_the_cli_know_prefect():
    wrong = [(m, t) for m, t in IMPORTS if t.split(".")[0] in ("prefect", "prefect_dask") and _layer(m) in PREFECT_FREE]
    assert wrong == []
    knowing = {_layer(m) for m, t in IMPORTS if t.split(".")[0] in ("prefect", "prefect_dask")}
    assert knowing <= {"flows", "cli"}


def test_no_module_imports_another_layers_private_module():
    wrong = [(m, t) for m, t in IMPORTS
             if t.startswith("polybrief.") and any(p.startswith("_") for p in t.split(".")[1:])
             and _layer(t) != _layer(m)]
    assert wrong == []
