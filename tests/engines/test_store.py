import json
import shutil
from pathlib import Path

import pytest

from polybrief.config import ModelRef
from polybrief.engines.store import MANIFEST, check_hashes, pull_model, resolve_model
from polybrief.errors import ModelMissing, StoreError, UnsafeModel

SLA = ModelRef(name="Helsinki-NLP/opus-mt-sla-en", revision="abc123")


class FakeHub:
    """A stand-in for the hub serving one local folder (optionally as an old checkpoint with only
    pickle weights), at a commit the test can move; it records the downloads asked of it."""

    def __init__(self, source, with_pickle=False, commit="c0ffee" * 6 + "cafe"):
        self.source, self.with_pickle, self.commit, self.downloads = source, with_pickle, commit, []

    def _files(self):
        names = sorted(p.name for p in self.source.iterdir() if p.is_file())
        return [("pytorch_model.bin" if n == "model.safetensors" and self.with_pickle else n) for n in names]

    def resolve(self, repo_id, revision):
        return self.commit, self._files()

    def download(self, repo_id, commit, patterns, local_dir):
        import fnmatch

        self.downloads.append((repo_id, commit, list(patterns)))
        Path(local_dir).mkdir(parents=True)
        for name in self._files():
            if any(fnmatch.fnmatch(name, p) for p in patterns):
                if name == "pytorch_model.bin":
                    import torch
                    from safetensors.torch import load_file

                    torch.save(load_file(self.source / "model.safetensors"), Path(local_dir) / name)
                else:
                    shutil.copy(self.source / name, Path(local_dir) / name)
        return local_dir


def _fake_hub(source, with_pickle=False):
    return FakeHub(source, with_pickle)


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
    dest = pull_model(SLA, tmp_path, hub=_fake_hub(tiny_store / "Helsinki-NLP--opus-mt-sla-en"))
    assert dest == resolve_model(SLA, tmp_path)
    manifest = json.loads((dest / MANIFEST).read_text())
    assert manifest["revision"] == "abc123" and "model.safetensors" in manifest["files"]
    assert check_hashes(dest) == []
    (dest / "config.json").write_text((dest / "config.json").read_text() + " ")
    assert check_hashes(dest) == ["config.json"]


def test_pull_converts_pickle_weights_once_and_the_result_translates_the_same(tmp_path, tiny_store):
    from polybrief.engines.loading import load_seq2seq

    source = tiny_store / "Helsinki-NLP--opus-mt-sla-en"
    dest = pull_model(SLA, tmp_path, hub=_fake_hub(source, with_pickle=True))
    assert list(dest.glob("*.bin")) == [] and list(dest.glob("*.safetensors"))
    tok, original = load_seq2seq(source, "cpu")
    _, converted = load_seq2seq(dest, "cpu")
    batch = tok(["Ruski zunanji minister je danes izpostavil tesne vezi."], return_tensors="pt")
    kwargs = dict(num_beams=1, do_sample=False, max_new_tokens=8)
    assert original.generate(**batch, **kwargs).tolist() == converted.generate(**batch, **kwargs).tolist()


def test_pull_skips_a_model_already_at_that_commit_and_pulls_again_when_the_branch_moved(tmp_path, tiny_store):
    hub = FakeHub(tiny_store / "Helsinki-NLP--opus-mt-sla-en")
    dest = pull_model(SLA, tmp_path, hub=hub)
    pull_model(SLA, tmp_path, hub=hub)
    assert len(hub.downloads) == 1  # the hub still says the same commit: nothing downloaded
    hub.commit = "b" * 40  # someone pushed to the branch
    pull_model(SLA, tmp_path, hub=hub)
    assert len(hub.downloads) == 2 and hub.downloads[-1][1] == "b" * 40
    assert json.loads((dest / MANIFEST).read_text())["commit"] == "b" * 40


def test_pull_stores_ctranslate2_weights_for_the_compute_type_and_converts_again_when_it_changes(tmp_path, tiny_store):
    from polybrief.engines.ct2 import CT2_FOLDER

    hub = FakeHub(tiny_store / "Helsinki-NLP--opus-mt-sla-en")
    dest = pull_model(SLA, tmp_path, hub=hub)  # compute type auto → int8 weights on disk
    int8_size = (dest / CT2_FOLDER / "model.bin").stat().st_size
    assert json.loads((dest / MANIFEST).read_text())["ct2_weights"] == "int8"
    pull_model(SLA, tmp_path, hub=hub, compute_type="float32")
    assert len(hub.downloads) == 1  # converted again, not downloaded again
    manifest = json.loads((dest / MANIFEST).read_text())
    assert manifest["ct2_weights"] == "float32" and check_hashes(dest) == []
    assert (dest / CT2_FOLDER / "model.bin").stat().st_size > 2 * int8_size


def test_pull_fetches_one_weights_format_and_keeps_the_hubs_json_byte_for_byte(tmp_path, tiny_store):
    from polybrief.engines.hub import files_to_fetch

    files = ["config.json", "generation_config.json", "pytorch_model.bin", "tf_model.h5", "rust_model.ot",
             "flax_model.msgpack", "training_args.bin", "vocab.json", "source.spm"]
    patterns = files_to_fetch(files, "x/y")
    import fnmatch

    kept = [f for f in files if any(fnmatch.fnmatch(f, p) for p in patterns)]
    assert kept == ["config.json", "generation_config.json", "pytorch_model.bin", "vocab.json", "source.spm"]
    both = files_to_fetch([*files, "model.safetensors"], "x/y")
    assert "*.safetensors" in both and not any("bin" in p for p in both)
    with pytest.raises(StoreError):
        files_to_fetch(["config.json", "tf_model.h5"], "x/y")

    source = tiny_store / "sshleifer--distilbart-cnn-12-6"
    dest = pull_model(ModelRef(name="sshleifer/distilbart-cnn-12-6"), tmp_path, hub=FakeHub(source, with_pickle=True))
    for name in ("config.json", "generation_config.json"):  # converted from pickle, settings kept
        assert (dest / name).read_bytes() == (source / name).read_bytes()
