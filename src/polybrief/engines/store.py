"""The model store: one function resolves a model name to a local checkpoint folder.

Model `org/name` lives in `<store>/org--name/` as a `save_pretrained` folder, so folders can be
copied onto an offline machine. Only `polybrief models pull` downloads; runs load local
safetensors only. The store defaults to `models/`; `--models DIR` or `POLYBRIEF_MODELS` moves it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from polybrief.config import Config, ModelRef
from polybrief.errors import ModelMissing, StoreError, UnsafeModel

if TYPE_CHECKING:
    from polybrief.engines.hub import Hub

MANIFEST = "polybrief-model.json"


def store_path(config: Config) -> Path:
    return Path(config.models_dir)  # --models, POLYBRIEF_MODELS and the file: load_config ranks them


def folder_name(ref: ModelRef) -> str:
    return ref.name.replace("/", "--")


def resolve_model(ref: ModelRef, store: Path) -> Path:
    """The local folder of `ref`, checked to hold a config and safetensors weights."""
    folder = store / folder_name(ref)
    if not (folder / "config.json").is_file():
        raise ModelMissing(ref.name, str(store))
    if not any(folder.glob("*.safetensors")):
        if any(folder.glob("*.bin")) or any(folder.glob("*.pt")):
            raise UnsafeModel(
                f"model {ref.name} in {folder} has only pickle weights, which can run code when loaded; "
                f"convert it with: polybrief models pull {ref.name}"
            )
        raise ModelMissing(ref.name, str(store))
    return folder


def configured_models(config: Config) -> list[ModelRef]:
    refs = [*config.translation.models.values(), config.summary.model]
    if config.translation.fallback:
        refs.append(config.translation.fallback)
    if config.multilingual.engine == "store":
        refs.append(config.multilingual.model)
    unique: dict[str, ModelRef] = {}
    for ref in refs:
        unique.setdefault(ref.name, ref)
    return list(unique.values())


def pull_model(ref: ModelRef, store: Path, hub: Hub | None = None, compute_type: str = "auto") -> Path:
    """Download `ref` into the store as safetensors (converting pickle weights once), with its
    CTranslate2 conversion in the weights `compute_type` will use. The hub is asked which commit
    the revision is now: a branch that moved is downloaded again, one that did not is kept."""
    from polybrief.engines import ct2
    from polybrief.engines.hub import HuggingFaceHub, files_to_fetch

    hub = hub or HuggingFaceHub()
    dest = store / folder_name(ref)
    weights = ct2.weights_for(compute_type) if ct2.available() else None
    commit, files = hub.resolve(ref.name, ref.revision)
    if (dest / MANIFEST).is_file() and _manifest(dest).get("commit") == commit:
        if (ct2.available() and _generates(dest)
                and _manifest(dest).get("ct2_weights", "float32") != (weights or "float32")):
            ct2.convert(dest, weights)  # another compute type: convert again, download nothing
            _write_manifest(dest, ref, commit, weights)
        return dest
    store.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=store, prefix=".pull-") as tmp:
        raw = Path(hub.download(ref.name, commit, files_to_fetch(files, ref.name), str(Path(tmp) / "raw")))
        staged = Path(tmp) / "model"
        _stage(raw, staged)
        if ct2.available() and _generates(staged):
            ct2.convert(staged, weights)  # beside the checkpoint; encoders (e5) run on transformers
        _write_manifest(staged, ref, commit, weights)
        if dest.exists():
            shutil.rmtree(dest)
        staged.rename(dest)
    return dest


def _generates(folder: Path) -> bool:
    """A translation or summary model (encoder-decoder), which CTranslate2 runs; not an encoder."""
    return bool(json.loads((folder / "config.json").read_text()).get("is_encoder_decoder"))


def model_key(ref: ModelRef, path: Path) -> str:
    """`name@commit` for a pulled model (cache keys, run.json): "main" names no one model."""
    manifest = path / MANIFEST
    commit = json.loads(manifest.read_text()).get("commit") if manifest.is_file() else None
    return f"{ref.name}@{commit}" if commit else ref.key


def _manifest(folder: Path) -> dict:
    return json.loads((folder / MANIFEST).read_text())


def _write_manifest(folder: Path, ref: ModelRef, commit: str, weights: str | None) -> None:
    record = {"name": ref.name, "revision": ref.revision, "commit": commit, "ct2_weights": weights or "float32",
              "files": file_hashes(folder)}
    (folder / MANIFEST).write_text(json.dumps(record, indent=2))


def _stage(raw: Path, staged: Path) -> None:
    """The downloaded files as they came (configs byte for byte), pickle weights converted."""
    shutil.copytree(raw, staged, ignore=shutil.ignore_patterns(".cache", "*.bin", "*.pt", "*.h5", "*.msgpack", "*.ot"))
    if any(raw.glob("*.safetensors")):
        return
    shards = sorted(raw.glob("pytorch_model*.bin"))
    if not shards:
        raise StoreError(f"{raw.name}: the checkpoint has neither safetensors nor pytorch_model.bin weights")
    _convert_pickle(shards, staged)
    (staged / "pytorch_model.bin.index.json").unlink(missing_ok=True)  # it names the .bin shards


def _convert_pickle(shards: list[Path], staged: Path) -> None:
    """Pickle → safetensors with torch's weights-only loader, which refuses to run code. Only the
    weights are written: `config.json` and `generation_config.json` stay the hub's own (a
    `save_pretrained` would rewrite them and drop their generation settings)."""
    import torch
    from transformers import AutoConfig, AutoModelForSeq2SeqLM

    state: dict = {}
    for shard in shards:
        state.update(torch.load(shard, map_location="cpu", weights_only=True))
    dtype = next((t.dtype for t in state.values() if t.is_floating_point()), torch.float32)
    model = AutoModelForSeq2SeqLM.from_config(AutoConfig.from_pretrained(staged), dtype=dtype)
    missing, _unexpected = model.load_state_dict(state, strict=False)
    # tied embeddings and position buffers are rebuilt by the model; anything else is a real gap
    real_missing = [k for k in missing
                    if "embed_positions" not in k and not k.endswith(("lm_head.weight", "embed_tokens.weight"))]
    if real_missing:
        raise StoreError(f"converting {shards[0].name}: weights missing for {real_missing[:3]}")
    model.tie_weights()
    with tempfile.TemporaryDirectory(dir=staged.parent) as out:  # transformers names tied tensors right
        model.save_pretrained(out)
        for weights in Path(out).glob("*.safetensors*"):  # the weights, and a shard index if any
            shutil.copy(weights, staged / weights.name)


def file_hashes(folder: Path) -> dict[str, str]:
    hashes = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.name != MANIFEST:
            digest = hashlib.sha256()
            with path.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
            hashes[str(path.relative_to(folder))] = digest.hexdigest()
    return hashes


def check_hashes(folder: Path) -> list[str]:
    """Files whose hash differs from what `pull` recorded (empty when no manifest)."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return []
    recorded = _manifest(folder)["files"]
    actual = file_hashes(folder)
    return sorted(name for name, digest in recorded.items() if actual.get(name) != digest)
