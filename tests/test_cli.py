"""The `polybrief` command as a user meets it: exit codes, one-line errors, the closing report."""

import os
import re
import subprocess
import sys

import pytest
from tests.conftest import write_tiny_config


def _polybrief(*args, cwd, **extra_env):
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200", **extra_env}
    env.pop("POLYBRIEF_MODELS", None)
    return subprocess.run([sys.executable, "-m", "polybrief", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def _one_line_error(result):
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr + result.stdout
    assert lines and lines[-1].startswith("error: ")
    return lines[-1]


def test_missing_models_stop_at_once_with_the_pull_command_and_write_nothing(tmp_path, seeds):
    result = _polybrief("run", str(seeds), "--models", str(tmp_path / "empty"), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 2
    line = _one_line_error(result)
    assert "sshleifer/distilbart-cnn-12-6" in line and "polybrief models pull" in line
    assert not (tmp_path / "out").exists()


def test_a_missing_translation_model_is_named_once_the_languages_are_known(tmp_path, seeds, tiny_store):
    import shutil

    store = tmp_path / "store"
    shutil.copytree(tiny_store / "sshleifer--distilbart-cnn-12-6", store / "sshleifer--distilbart-cnn-12-6")
    result = _polybrief("run", str(seeds), "--models", str(store), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 2
    line = _one_line_error(result)
    assert "Helsinki-NLP/opus-mt-" in line and "polybrief models pull Helsinki-NLP/opus-mt-" in line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("content, expected", [
    ("translation:\n  beam: 3\n", "unknown config key 'translation.beam'"),
    ("runtime:\n  device: tpu\n", "bad config value for 'runtime.device'"),
])
def test_a_bad_config_is_one_line_and_exit_2(tmp_path, seeds, content, expected):
    (tmp_path / "bad.yaml").write_text(content)
    result = _polybrief("run", str(seeds), "--config", str(tmp_path / "bad.yaml"), cwd=tmp_path)
    assert result.returncode == 2 and expected in _one_line_error(result)


def test_a_missing_input_is_one_line_and_exit_2(tmp_path):
    result = _polybrief("run", str(tmp_path / "nothing-here"), cwd=tmp_path)
    assert result.returncode == 2 and "nothing-here: no such file or folder" in _one_line_error(result)


def test_models_list_shows_what_is_in_the_store(tmp_path, tiny_store):
    result = _polybrief("models", "list", "--models", str(tiny_store), cwd=tmp_path)
    assert result.returncode == 0
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.count("│") >= 4}
    assert "yes" in rows["Helsinki-NLP/opus-mt-sla-en"] and "no" in rows["Helsinki-NLP/opus-mt-pl-en"]


def test_models_verify_loads_every_model_and_fails_on_a_missing_one(tmp_path, tiny_store):
    result = _polybrief("models", "verify", "--models", str(tiny_store), cwd=tmp_path)
    assert result.returncode == 1
    assert "ok   Helsinki-NLP/opus-mt-sla-en (transformers)" in result.stdout
    assert "fail Helsinki-NLP/opus-mt-pl-en" in result.stdout


def test_a_first_run_with_a_new_local_prefect_server_prints_no_traceback(tmp_path, seeds, tiny_store):
    """No Prefect server configured and a new PREFECT_HOME: what a user's first `make run` meets.
    Prefect's telemetry once raced the new database's migrations and printed a traceback."""
    config = write_tiny_config(tmp_path / "c.yaml", tiny_store, tmp_path / "out")
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_SERVER_ANALYTICS_ENABLED")}
    env.update(PREFECT_HOME=str(tmp_path / "new-prefect-home"), PYTHONUNBUFFERED="1", COLUMNS="200")
    result = subprocess.run([sys.executable, "-m", "polybrief", "run", str(seeds), "--config", str(config)],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout and "ERROR" not in result.stderr
    assert "5 inputs: briefed 5" in result.stdout


def test_run_prints_what_it_did(tmp_path, seeds, tiny_store, prefect_server):
    from prefect.settings import PREFECT_API_URL

    config = write_tiny_config(tmp_path / "c.yaml", tiny_store, tmp_path / "out")
    # the command runs in its own process, against the test session's Prefect server
    result = _polybrief("run", str(seeds), "--config", str(config), cwd=tmp_path, PREFECT_API_URL=PREFECT_API_URL.value())
    assert result.returncode == 0, result.stderr
    assert "5 inputs: briefed 5" in result.stdout
    assert "languages: hu 1, pl 1, sl 3" in result.stdout
    assert "engines: translation hu transformers, pl transformers, sl transformers; summary transformers" in result.stdout
    assert f"{tmp_path / 'out'}" in result.stdout and "index.md" in result.stdout
    assert "5/5" in result.stderr  # the progress bars: articles summarised, sentences translated
    assert re.search(r"translate sentences\s.*\b(\d+)/\1\b", result.stderr)


def test_models_verify_loads_the_converted_embedder(tmp_path, converted_store):
    result = _polybrief("models", "verify", "--models", str(converted_store), cwd=tmp_path)
    assert "ok   all-MiniLM-L6-v2 (ctranslate2)" in result.stdout
    assert "ok   Helsinki-NLP/opus-mt-sla-en (transformers + ctranslate2)" in result.stdout
