"""Loading Hugging Face seq2seq checkpoints, once per process.

Every model load goes through `load_seq2seq`: local files only, safetensors only, never remote
code. Loaded engines are kept in a process-wide table so Prefect tasks running in the same worker
reuse them instead of loading a model per task.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

_instances: dict[Any, Any] = {}
_lock = threading.RLock()  # re-entrant: an engine may load another (extractive → embedder)


def load_once(key: Any, factory: Callable[[], T]) -> T:
    with _lock:
        if key not in _instances:
            _instances[key] = factory()
        return _instances[key]


class BusyClock:
    """Wall seconds during which at least one call was running: calls from several threads at once
    (mapped tasks) count once, so a stage table's figure is never more than the time that passed."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._running = 0
        self._since = 0.0
        self._lock = threading.Lock()

    @contextmanager
    def timing(self) -> Iterator[None]:
        with self._lock:
            if not self._running:
                self._since = time.monotonic()
            self._running += 1
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1
                if not self._running:
                    self.seconds += time.monotonic() - self._since


def forget_loaded() -> None:
    """Drop every loaded engine (tests; or to free memory between runs in one process)."""
    with _lock:
        _instances.clear()


def resolve_device(device: str, engine: str = "transformers") -> str:
    if device != "auto":
        return device
    if engine == "ctranslate2":  # asking torch would import it into a process that needs none
        import ctranslate2

        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def set_threads(threads: int | None, engine: str = "transformers") -> None:
    """torch's threads; CTranslate2 engines take theirs at load (`intra_threads`)."""
    if engine != "transformers":
        return
    import torch

    torch.set_num_threads(threads or os.cpu_count() or 1)


def count_tokens(tokenizer, texts) -> list[int]:
    """Tokens of each text as the model sees it, special tokens included."""
    if not texts:  # a tokenizer called on an empty batch raises IndexError
        return []
    # verbose=False: counting a long text is no attempt to feed it whole ("3607 > 1024" warnings)
    return [len(ids) for ids in tokenizer(list(texts), add_special_tokens=True, verbose=False)["input_ids"]]


def load_seq2seq(path: Path, device: str) -> tuple[Any, Any]:
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # a bar per load would break the CLI's own progress display

    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True, trust_remote_code=False)
    # transformers 5 loads the dtype the config names (tc-big opus-mt: float16), which on a CPU
    # is slow and less exact: the reference engine is float32 there; a GPU keeps the checkpoint's
    model = AutoModelForSeq2SeqLM.from_pretrained(
        path, local_files_only=True, use_safetensors=True, trust_remote_code=False,
        dtype="float32" if device == "cpu" else "auto",
    )
    model.eval()
    model.to(device)
    return tokenizer, model
