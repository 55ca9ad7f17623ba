"""The Hugging Face hub, as `polybrief models pull` uses it: which commit a revision is now and
which files it has, then a download of only the files the store keeps.

Weights come in one format: safetensors when the repository has them, else its
`pytorch_model*.bin` shards (converted once at pull). Repositories also hold TensorFlow, Flax,
Rust and ONNX copies and pickled training state (`training_args.bin`): never fetched.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from typing import Protocol

from polybrief.errors import StoreError

# what a checkpoint folder needs besides its weights: configs, generation settings, tokenizers
_FILES = ["*.json", "*.model", "*.spm", "*.txt", "tokenizer*", "vocab*", "merges*", "sentencepiece*"]


class Hub(Protocol):
    def resolve(self, repo_id: str, revision: str) -> tuple[str, list[str]]:
        """(the commit `revision` points at now, the repository's file names at that commit)"""
        ...

    def download(self, repo_id: str, commit: str, patterns: Sequence[str], local_dir: str) -> str: ...


def files_to_fetch(files: Sequence[str], repo_id: str) -> list[str]:
    """Patterns for one checkpoint: its small files and one weights format."""
    if any(fnmatch.fnmatch(f, "*.safetensors") for f in files):
        weights = ["*.safetensors"]
    elif any(fnmatch.fnmatch(f, "pytorch_model*.bin") for f in files):
        weights = ["pytorch_model*.bin"]
    else:
        raise StoreError(f"{repo_id}: the repository has neither safetensors nor pytorch_model*.bin weights")
    return [*_FILES, *weights]


class HuggingFaceHub:
    """The real client (`HF_ENDPOINT`, `HF_TOKEN` as huggingface_hub reads them), with the bytes
    of a download shown as one progress bar."""

    def resolve(self, repo_id: str, revision: str) -> tuple[str, list[str]]:
        from huggingface_hub import HfApi

        info = HfApi().model_info(repo_id, revision=revision)
        return str(info.sha), [s.rfilename for s in info.siblings or []]

    def download(self, repo_id: str, commit: str, patterns: Sequence[str], local_dir: str) -> str:
        from huggingface_hub import snapshot_download
        from tqdm import tqdm

        # plain tqdm: huggingface_hub's own bars go quiet whenever transformers' are turned off
        # (the CLI does, for the conversions), and a 5 GB download needs its "Downloading bytes"
        return snapshot_download(repo_id=repo_id, revision=commit, allow_patterns=list(patterns), local_dir=local_dir,
                                 tqdm_class=tqdm)
