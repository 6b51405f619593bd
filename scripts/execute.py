"""Regenerate notebooks' stored outputs reproducibly (``make execute``).

    python -m scripts.execute                       # every notebook
    python -m scripts.execute notebooks/00_welcome.ipynb

Each notebook runs top to bottom in a fresh kernel with the test environment
(scripts/nbenv.py) and is written back only if every cell ran without an error.
Never save a notebook's outputs from an interactive session: JupyterLab stores
TensorFlow's C-level stderr, which nbval does not see, and the test then fails.
"""

from __future__ import annotations

import argparse
import sys

import nbformat
from nbclient.exceptions import CellExecutionError

from scripts.course import paths_from_args
from scripts.nbrun import run_notebook
from scripts.slides import mark_slides


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Execute notebooks and store their outputs.")
    parser.add_argument("notebooks", nargs="*", help="notebook files (default: all)")
    args = parser.parse_args(argv)
    failed = 0
    for path in paths_from_args(args.notebooks):
        print(f"executing {path.name} ...", flush=True)
        try:
            result = run_notebook(path)
        except CellExecutionError as error:
            failed += 1
            lines = [line for line in str(error).splitlines() if line.strip()]
            # The cell's source and its traceback's last lines: enough to see what failed.
            print("  FAILED, not written:\n    " + "\n    ".join(lines[:12] + ["..."] + lines[-4:]))
            continue
        mark_slides(result.notebook)  # slide metadata for make slides; not an output
        nbformat.write(result.notebook, path)
        print(f"  written in {result.wall_s:.1f} s, peak memory {result.peak_rss_bytes / 2**20:.0f} MiB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
