"""Run one notebook top to bottom in a fresh kernel, the way the tests run it.

Used by ``scripts.execute`` (store outputs), ``scripts.bench`` (time and memory) and
``scripts.grade`` (students' submissions).
Settings from ../shared/NOTEBOOK_CI.md: the kernel is nbval's "current environment"
kernel (this Python), with :mod:`scripts.nbenv`'s environment, ``coalesce_streams``,
no timing metadata, and ``capture_fd_output=False`` so TensorFlow's C-level stderr, which
nbval never sees, is not stored either.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import psutil
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbval.kernel import CURRENT_ENV_KERNEL_NAME, NbvalKernelspecManager

from scripts.nbenv import apply_notebook_env

CELL_TIMEOUT_S = 600


@dataclass
class RunResult:
    notebook: nbformat.NotebookNode
    wall_s: float
    peak_rss_bytes: int


class _PeakMemory:
    """Peak resident memory of a process and its children.

    On Linux the kernel keeps the high-water mark (VmHWM) itself; elsewhere the process
    is sampled every 50 ms.
    """

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _rss(self) -> int:
        total = 0
        for proc in [self.process, *self.process.children(recursive=True)]:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            try:
                self.peak = max(self.peak, self._rss())
            except psutil.Error:
                return

    def finish(self) -> int:
        self._stop.set()
        self._thread.join()
        status = Path(f"/proc/{self.process.pid}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    self.peak = max(self.peak, int(line.split()[1]) * 1024)
        return self.peak


def notebook_client(nb: nbformat.NotebookNode, folder: Path, *, timeout: int = CELL_TIMEOUT_S,
                    **options: Any) -> NotebookClient:
    """An nbclient client for ``nb`` with the course's kernel, environment and settings.

    ``options`` are further ``NotebookClient`` settings (the grader's ``allow_errors``).
    The kernel manager is the asynchronous one, nbclient's default: with the blocking one,
    nbclient waits for a cell's output without a limit, so ``timeout`` never fires.
    """
    apply_notebook_env(os.environ)
    km = AsyncKernelManager(kernel_name=CURRENT_ENV_KERNEL_NAME,
                            kernel_spec_manager=NbvalKernelspecManager())
    return NotebookClient(
        nb,
        km=km,
        timeout=timeout,
        kernel_name=CURRENT_ENV_KERNEL_NAME,
        resources={"metadata": {"path": str(folder)}},
        coalesce_streams=True,
        record_timing=False,
        extra_arguments=["--IPKernelApp.capture_fd_output=False"],
        **options,
    )


@contextmanager
def kernel(client: NotebookClient, folder: Path) -> Iterator[None]:
    """Start ``client``'s kernel in ``folder``; shut it down on leaving."""
    # As nbval does: the kernel's C-level stderr (TensorFlow's start-up lines) goes nowhere.
    # cleanup_kc: shut the kernel down on leaving; nbclient keeps a kernel whose manager it was
    # given (ours) alive, and a timed-out loop would spin on until this process exits.
    with open(os.devnull, "w") as devnull, \
            client.setup_kernel(cwd=str(folder), stderr=devnull, cleanup_kc=True):
        yield


def run_notebook(path: Path, *, timeout: int = CELL_TIMEOUT_S) -> RunResult:
    """Execute ``path`` in a fresh kernel started in its folder; the file is not written."""
    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    client = notebook_client(nb, path.parent, timeout=timeout)
    start = time.perf_counter()
    with kernel(client, path.parent):
        memory = _PeakMemory(client.km.provisioner.process.pid)
        try:
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
        finally:
            peak = memory.finish()
    wall = time.perf_counter() - start
    client.set_widgets_metadata()
    return RunResult(clean(nb), wall, peak)


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop what must not be stored: widget state and per-cell execution metadata."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
    return nb
