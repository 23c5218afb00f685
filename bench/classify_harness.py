"""Experiment harness for the sub-event classifier: the figures of ``python -m tocsin.eval.case`` in minutes.

    python bench/classify_harness.py prep                      # parse every text once (~1.5 min)
    python bench/classify_harness.py run NAME [case|acled|both] [train.CONST=json ...] [snaps=600,800]
    python bench/classify_harness.py sweep NAME[:SNAPSHOT] [w ...]

``run`` calls the unchanged ``score_case_cv`` (5 folds) and ``score_acled_subtypes`` (by file) with the
module constants given (``train.HIDDEN_EPOCHS=600``), and reproduces the command's figures (session 9: CASE
0.7999, ACLED 0.7689 for the shipped settings) in ~9 min instead of ~25, because:

* the parse features of every text are read from the pickle ``prep`` wrote;
* the lexicon's ``analyse`` is memoised per text;
* the sparse products use scipy when it is importable (install it outside the venv, for the harness only:
  ``pip install --target DIR scipy`` and add DIR to PYTHONPATH; same sums, another order).

Every scored text's linear and network log-probabilities are recorded (``OUT/NAME_case.npz``,
``NAME_acled.npz``), and with ``snaps=`` also the network's at those Adam steps (one run gives several step
counts). ``sweep`` scores the records for any ensemble weight w with the shipped decision (reorder-only
ensemble, ``NONE`` >= 0.5, best label >= 0.15); ``sweep A+B`` takes the linear model of run A and the
network of run B (the network does not depend on the linear model's features).
"""

from __future__ import annotations

import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np

import tocsin.eval.case as case
import tocsin.nlp.classify as classify
import tocsin.nlp.triggers_parse as tparse
import tocsin.train as train
from tocsin.model import SUB_EVENT_TYPES
from tocsin.nlp.classify_hidden import HiddenLayer, fit_hidden
from tocsin.nlp.triggers_match import analyse as _analyse

OUT = Path("/tmp/classify_harness")
EVAL = case._default_eval_dir()
CASE = EVAL / "case2021_task2_dev.tsv"
ACLED = sorted(EVAL.glob("acled_*.csv"))
PICKLE = OUT / "parse.pkl"
SNAPS: list[int] = []
_snapshots: list[HiddenLayer] = []
_records: list[tuple[np.ndarray, np.ndarray, list[np.ndarray]]] = []
_memo: dict[str, object] = {}


def _memo_analyse(text: str):  # type: ignore[no-untyped-def]
    found = _memo.get(text)
    if found is None:
        found = _memo[text] = _analyse(text)
    return found


def _use_scipy() -> None:
    try:
        import scipy.sparse as sp  # noqa: PLC0415
    except ImportError:
        print("scipy not importable: numpy products (slower)", file=sys.stderr)
        return
    post = classify._Sparse.__post_init__

    def __post_init__(self) -> None:  # type: ignore[no-untyped-def]
        post(self)
        self._csr = sp.csr_matrix((self.data, self.indices, self.indptr), shape=(len(self.indptr) - 1, self.n_cols))
        self._csr_t = self._csr.T.tocsr()

    classify._Sparse.__post_init__ = __post_init__
    classify._Sparse.dot = lambda self, dense: np.asarray(self._csr @ dense, dtype=np.float32)
    classify._Sparse.tdot = lambda self, dense: np.asarray(self._csr_t @ dense, dtype=np.float32)


def _fit_hidden(*args, **kwargs):  # type: ignore[no-untyped-def]
    """``classify_hidden.fit_hidden``, keeping the network at the steps in SNAPS."""
    _snapshots.clear()

    def keep(step: int, network: HiddenLayer) -> None:
        if step in SNAPS:
            _snapshots.append(HiddenLayer(w_in=network.w_in.copy(), b_in=network.b_in.copy(),
                                          w_out=network.w_out.copy(), b_out=network.b_out.copy()).quantized())

    return fit_hidden(*args, on_step=keep, **kwargs)


def _install() -> None:
    classify.analyse = _memo_analyse
    classify.fit_hidden = _fit_hidden
    _use_scipy()
    fit, with_model = train.fit, case._with_model

    def fit_keeping_snapshots(*args, **kwargs):  # type: ignore[no-untyped-def]
        model = fit(*args, **kwargs)
        model._snapshots = list(_snapshots)
        return model

    def recording(model, threshold=case.DEFAULT_THRESHOLD):  # type: ignore[no-untyped-def]
        decide = with_model(model, threshold)

        def classify_text(text: str) -> str:
            extra = tparse.parse_texts([text])[0] if model.parse else ()
            linear, rows = model._linear(text, 1.0, extra)
            linear -= linear.max()
            linear -= np.log(np.exp(linear).sum())
            net, snaps = np.zeros_like(linear), []
            if model.hidden is not None:
                net = model.hidden.log_probs(rows)
                snaps = [s.log_probs(rows) for s in getattr(model, "_snapshots", [])]
            _records.append((linear, net, snaps))
            return decide(text)

        return classify_text

    train.fit = fit_keeping_snapshots
    case._with_model = recording


def _save(name: str, kind: str) -> None:
    np.savez_compressed(OUT / f"{name}_{kind}.npz", lin=np.array([r[0] for r in _records]),
                        net=np.array([r[1] for r in _records]), snaps=np.array([r[2] for r in _records]))
    _records.clear()


def prep() -> None:
    texts = [t for p in ACLED for t, _ in train.read_acled(p)] + [t for _, t, _ in case.read_case(CASE)]
    texts += [t for t, _ in train.written_examples()]
    tparse.parse_texts(texts)
    OUT.mkdir(parents=True, exist_ok=True)
    PICKLE.write_bytes(pickle.dumps(tparse._cache))
    print(len(tparse._cache), "texts parsed")


def run(name: str, what: str, overrides: list[str]) -> None:
    _install()
    tparse._cache.update(pickle.loads(PICKLE.read_bytes()))
    modules = {"train": train, "classify": classify, "case": case}
    for pair in overrides:
        key, value = pair.split("=", 1)
        if key == "snaps":
            SNAPS.extend(int(v) for v in value.split(","))
        else:
            module, attr = key.split(".", 1)
            setattr(modules[module], attr, json.loads(value))
    result: dict[str, object] = {"name": name, "overrides": overrides}
    if what in ("case", "both"):
        start = time.process_time()
        res = case.score_case_cv(CASE, ACLED, folds=5)
        result["case"] = {k: res[k] for k in ("weighted_f1", "unseen_not_forced", "unseen_by_class")}
        result["case_cpu_s"] = round(time.process_time() - start)
        _save(name, "case")
    if what in ("acled", "both"):
        start = time.process_time()
        res = case.score_acled_subtypes(ACLED, news_rows=case._as_training(case.read_case(CASE)))
        result["acled"] = {"accuracy": res["accuracy"], "weighted_f1": res["weighted_f1"],
                           "files": {k: v["accuracy"] for k, v in res["per_split"].items()}}  # type: ignore[union-attr]
        result["acled_cpu_s"] = round(time.process_time() - start)
        _save(name, "acled")
    line = json.dumps(result)
    print(line)
    with open(OUT / "results.jsonl", "a") as handle:
        handle.write(line + "\n")


_SUBTYPES = np.array([i for i, label in enumerate(classify.LABELS) if label != classify.NONE])


def _decide(linear: np.ndarray, net: np.ndarray, w: float) -> str:
    out = classify._reordered(linear, net, w, _SUBTYPES) if w else linear.copy()
    probs = np.exp(out - out.max())
    return case.decide(probs / probs.sum(), classify.LABELS)


def sweep(name: str, weights: list[float]) -> None:
    snap = None
    if ":" in name:
        name, index = name.split(":")
        snap = int(index)
    linear_run, net_run = (name.split("+") + [name])[:2]
    rows = case.read_case(CASE)
    gold = {"case": [rows[i][2] for fold in range(5) for i in range(fold, len(rows), 5)],
            "acled": [label for p in ACLED for _, label in train.read_acled(p)]}
    for w in weights:
        line = [f"w={w:.2f}"]
        for kind in ("case", "acled"):
            if not (OUT / f"{linear_run}_{kind}.npz").exists():
                continue
            linear = np.load(OUT / f"{linear_run}_{kind}.npz")["lin"]
            data = np.load(OUT / f"{net_run}_{kind}.npz")
            nets = data["net"] if snap is None else data["snaps"][:, snap]
            pred = [_decide(a, b, w) for a, b in zip(linear, nets, strict=True)]
            if kind == "case":
                scores = case._case_scores(gold["case"], pred)
                line.append(f"CASE F1 {scores['weighted_f1']:.4f} unseen {scores['unseen_not_forced']:.3f}")
            else:
                accuracy = np.mean([g == p for g, p in zip(gold["acled"], pred, strict=True)])
                wf1 = case.prf(gold["acled"], pred, SUB_EVENT_TYPES)["weighted"]["f1"]  # type: ignore[index]
                line.append(f"ACLED {accuracy:.4f} / {wf1:.4f}")
        print("  ".join(line))


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("prep", "run", "sweep") or (argv[0] != "prep" and len(argv) < 2):
        print((__doc__ or "").split("\n\n")[1], file=sys.stderr)
        return 2
    if argv[0] == "prep":
        prep()
    elif argv[0] == "run":
        run(argv[1], argv[2] if len(argv) > 2 and "=" not in argv[2] else "both",
            [a for a in argv[2:] if "=" in a])
    elif argv[0] == "sweep":
        sweep(argv[1], [float(x) for x in argv[2:]] or [0.0, 0.3, 0.5])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
