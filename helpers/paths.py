"""Where the course's files live, wherever the notebook or test runs from (notebook 00)."""

from __future__ import annotations

from pathlib import Path

ROOT: Path = Path(__file__).resolve().parents[1]
NOTEBOOKS: Path = ROOT / "notebooks"
DATASETS: Path = ROOT / "datasets"
ARTIFACTS: Path = NOTEBOOKS / "artifacts"  # models the notebooks save; ignored by git
