import json
import shutil
from pathlib import Path

import pytest

from polybrief.config import ModelRef
from polybrief.engines.store import MANIFEST, check_hashes, pull_model, resolve_model
from polybrief.errors import ModelMissing, UnsafeModel

SLA = ModelRef(name="Helsinki-NLP/opus-mt-sla-en", revision="abc123")


def _fake_hub(source, with_pickle=False):
    """A stand-in for huggingface_hub.snapshot_download that serves a local folder, optionally
    as an old checkpoint that has only pickle weights."""

    def fetch(repo_id, revision, local_dir, allow_patterns):
        shutil.copytree(source, local_dir)
        if with_pickle:
            import torch
            from safetensors.torch import load_file

            weights = Path(local_dir) / "model.safetensors"
            torch.save(load_file(weights), Path(local_dir) / "pytorch_model.bin")
            weights.unlink()
        return local_dir

    return fetch


def test_a_missing_model_names_itself_and_the_pull_command(tmp_path):
    with pytest.raises(ModelMissing) as err:
        resolve_model(SLA, tmp_path)
    assert "Helsinki-NLP/opus-mt-sla-en" in str(err.value)
    assert "polybrief models pull Helsinki-NLP/opus-mt-sla-en" in str(err.value)


def test_pickle_only_weights_are_refused(tmp_path, tiny_store):
    folder = tmp_path / "Helsinki-NLP--opus-mt-sla-en"
    shutil.copytree(tiny_store / folder.name, folder)
    (folder / "model.safetensors").rename(folder / "pytorch_model.bin")
    with pytest.raises(UnsafeModel, match="pickle"):
        resolve_model(SLA, tmp_path)


def test_pull_stores_safetensors_with_a_manifest_of_hashes(tmp_path, tiny_store):
    dest = pull_model(SLA, tmp_path, fetch=_fake_hub(tiny_store / "Helsinki-NLP--opus-mt-sla-en"))
    assert dest == resolve_model(SLA, tmp_path)
    manifest = json.loads((dest / MANIFEST).read_text())
    assert manifest["revision"] == "abc123" and "model.safetensors" in manifest["files"]
    assert check_hashes(dest) == []
    (dest / "config.json").write_text((dest / "config.json").read_text() + " ")
    assert check_hashes(dest) == ["config.json"]


def test_pull_converts_pickle_weights_once_and_the_result_translates_the_same(tmp_path, tiny_store):
    from polybrief.engines._hf import load_seq2seq

    source = tiny_store / "Helsinki-NLP--opus-mt-sla-en"
    dest = pull_model(SLA, tmp_path, fetch=_fake_hub(source, with_pickle=True))
    assert list(dest.glob("*.bin")) == [] and list(dest.glob("*.safetensors"))
    tok, original = load_seq2seq(source, "cpu")
    _, converted = load_seq2seq(dest, "cpu")
    batch = tok(["Ruski zunanji minister je danes izpostavil tesne vezi."], return_tensors="pt")
    kwargs = dict(num_beams=1, do_sample=False, max_new_tokens=8)
    assert original.generate(**batch, **kwargs).tolist() == converted.generate(**batch, **kwargs).tolist()


def test_pull_skips_a_model_already_at_that_revision(tmp_path, tiny_store):
    fetch = _fake_hub(tiny_store / "Helsinki-NLP--opus-mt-sla-en")
    pull_model(SLA, tmp_path, fetch=fetch)

    def must_not_fetch(**_):
        raise AssertionError("fetched again")

    pull_model(SLA, tmp_path, fetch=must_not_fetch)


def test_pull_stores_ctranslate2_weights_for_the_compute_type_and_converts_again_when_it_changes(tmp_path, tiny_store):
    from polybrief.engines.ct2 import CT2_FOLDER

    fetch = _fake_hub(tiny_store / "Helsinki-NLP--opus-mt-sla-en")
    dest = pull_model(SLA, tmp_path, fetch=fetch)  # compute type auto → int8 weights on disk
    int8_size = (dest / CT2_FOLDER / "model.bin").stat().st_size
    assert json.loads((dest / MANIFEST).read_text())["ct2_weights"] == "int8"

    def must_not_fetch(**_):
        raise AssertionError("fetched again")

    pull_model(SLA, tmp_path, fetch=must_not_fetch, compute_type="float32")
    manifest = json.loads((dest / MANIFEST).read_text())
    assert manifest["ct2_weights"] == "float32" and check_hashes(dest) == []
    assert (dest / CT2_FOLDER / "model.bin").stat().st_size > 2 * int8_size
