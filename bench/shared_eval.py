"""Where the benches find the development data: the first ``shared/eval`` beside the checkout or a folder above
it, so a git worktree in ``../wt/NAME`` finds the main checkout's (import as ``from shared_eval import EVAL``)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = next((p / "shared" / "eval" for p in ROOT.parents if (p / "shared" / "eval").is_dir()), ROOT / "missing")
