"""Where a batch's chunks run: in this process, in a local process pool, or on Dask.

Every engine maps one function over a stream of chunks and yields the results **in the
order the chunks came**, with a bounded number of chunks in flight, so a batch of a
million letters never holds more than a few hundred of them in memory and writes its
outputs in the same order whatever the number of workers.

Heavy imports (``concurrent.futures`` workers, ``distributed``) happen only when an engine
is opened.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from typing import Any, Callable, Iterable, Iterator

log = logging.getLogger(__name__)

ENGINES = ("local", "dask")
#: a local pool's workers are replaced after this many chunks each, on average (so that
#: caches in the pipeline cannot grow for ever over a batch of millions of letters;
#: ProcessPoolExecutor's own max_tasks_per_child hangs on Python 3.11)
RECYCLE_CHUNKS = 250


def all_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _ordered(submit: Callable[[Any], Any], result: Callable[[Any], Any],
             tasks: Iterable[Any], window: int) -> Iterator[Any]:
    """Submit ``tasks`` keeping at most ``window`` in flight; yield results in order.

    A task that is ``None`` (nothing to compute) yields ``None`` in its place.
    """
    pending: deque = deque()
    for task in tasks:
        pending.append(None if task is None else submit(task))
        while len(pending) >= window:
            fut = pending.popleft()
            yield None if fut is None else result(fut)
    while pending:
        fut = pending.popleft()
        yield None if fut is None else result(fut)


class InlineEngine:
    """Run every chunk here, one after the other (a batch of one chunk)."""

    name = "inline"
    workers = 1

    def __enter__(self) -> "InlineEngine":
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def map(self, fn: Callable[[Any], Any], tasks: Iterable[Any], **_: Any) -> Iterator[Any]:
        for task in tasks:
            yield None if task is None else fn(task)


def _watch_parent(pid: int, every: float = 1.0) -> None:
    """End this worker when the batch process ``pid`` is gone (killed with SIGKILL, say):
    otherwise it would block for ever writing results that nobody reads."""
    import threading
    import time

    def watch() -> None:
        while True:
            time.sleep(every)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except OSError:
                pass

    threading.Thread(target=watch, name="vn-officialdoc-parent-watch", daemon=True).start()


def _warm_worker(parent: int | None = None) -> None:
    """Pool initializer: watch the batch process, and load the grammar once per worker
    process, not once per chunk.

    It never raises: an initializer that fails breaks the whole pool, while a grammar
    error met during a parse becomes an error entry like any other.
    """
    if parent:
        _watch_parent(parent)
    try:
        from .grammar import load_grammar

        load_grammar()
    except Exception:  # noqa: BLE001 - reported by the parses themselves
        log.debug("grammar not loaded in the worker initializer", exc_info=True)


class PoolEngine:
    """A local pool of worker processes (started by a fork server, so threads in this
    process, such as the progress bar's, are never forked).

    A worker that dies (a crash in a C extension, the kernel's out-of-memory killer)
    breaks the pool: the pool is restarted and the chunks in flight are sent again; a
    chunk that breaks it twice is split into single letters, and a single letter that
    breaks it twice becomes ``failed(task, exc)``: the batch goes on.
    """

    name = "local"

    def __init__(self, workers: int, window: int | None = None,
                 recycle: int | None = RECYCLE_CHUNKS) -> None:
        self.workers = max(1, workers)
        self.window = window or self.workers * 4
        self.recycle = recycle
        self._pool: Any = None
        self.restarts = 0
        self.recycled = 0

    def _start(self) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["vn_officialdoc.batch", "vn_officialdoc.pipeline"])
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx,
                                         initializer=_warm_worker, initargs=(os.getpid(),))

    def __enter__(self) -> "PoolEngine":
        self._start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            # on an error or Ctrl-C, do not wait for the queued chunks
            self._pool.shutdown(wait=exc[0] is None, cancel_futures=True)
            self._pool = None

    def _restart(self) -> None:
        self.restarts += 1
        log.warning("a worker process died; restarting the pool (%d)", self.restarts)
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._start()

    def map(self, fn: Callable[[Any], Any], tasks: Iterable[Any],
            split: Callable[[Any], list] | None = None,
            failed: Callable[[Any, BaseException], Any] | None = None,
            join: Callable[[list], Any] | None = None) -> Iterator[Any]:
        """Ordered results of ``fn`` over ``tasks``; ``split``/``failed``/``join`` say how
        to cut a task that keeps killing workers, what a lost task yields, and how to put
        the pieces' results back together."""
        from concurrent.futures.process import BrokenProcessPool

        assert self._pool is not None, "open the engine with `with`"
        pending: deque = deque()   # [task, future, breaks]

        def submit(task: Any) -> Any:
            try:
                return self._pool.submit(fn, task)
            except BrokenProcessPool as exc:  # broke meanwhile: resolve() restarts it
                from concurrent.futures import Future

                f: Future = Future()
                f.set_exception(exc)
                return f

        def resolve(slot: list) -> Any:
            task = slot[0]
            while True:
                try:
                    return slot[1].result()
                except BrokenProcessPool as exc:
                    slot[2] += 1
                    self._restart()
                    for other in pending:  # every other chunk in flight was lost too
                        if other[1] is not None:
                            other[1] = submit(other[0])
                    pieces = split(task) if split is not None and slot[2] >= 2 else None
                    if pieces is not None and len(pieces) > 1:
                        return join([resolve([p, submit(p), 1]) for p in pieces]) if join \
                            else [resolve([p, submit(p), 1]) for p in pieces]
                    if slot[2] >= 2:
                        if failed is None:
                            raise
                        return failed(task, exc)
                    slot[1] = submit(task)

        submitted = 0
        for task in tasks:
            if (task is not None and self.recycle and submitted
                    and submitted % (self.recycle * self.workers) == 0):
                # fresh workers now and then: whatever the pipeline caches stays bounded
                while pending:
                    slot = pending.popleft()
                    yield None if slot[1] is None else resolve(slot)
                self._pool.shutdown(wait=True)
                self._start()
                self.recycled += 1
            pending.append([task, None if task is None else submit(task), 0])
            submitted += task is not None
            while len(pending) >= self.window:
                slot = pending.popleft()
                yield None if slot[1] is None else resolve(slot)
        while pending:
            slot = pending.popleft()
            yield None if slot[1] is None else resolve(slot)


class DaskEngine:
    """A Dask cluster: the one at ``scheduler`` (``tcp://HOST:PORT``), or a LocalCluster of
    ``workers`` processes bound to 127.0.0.1 when no address is given.

    The workers read the input files themselves, so on a real cluster the inputs must be
    on a file system every worker sees (as usual for Dask); the outputs are written here.
    """

    name = "dask"

    def __init__(self, workers: int, scheduler: str | None = None,
                 window: int | None = None) -> None:
        self.workers = max(1, workers)
        self.scheduler = scheduler
        self.window = window
        self._client = None
        self._cluster = None

    def __enter__(self) -> "DaskEngine":
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - depends on the install
            from .errors import VnOfficialDocError

            raise VnOfficialDocError(
                "the dask engine needs the optional extra: pip install 'vn_officialdoc[dask]'"
            ) from exc
        if self.scheduler:
            self._client = Client(self.scheduler)
        else:
            self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1,
                                         processes=True, host="127.0.0.1",
                                         dashboard_address=None,
                                         silence_logs=logging.WARNING)
            self._client = Client(self._cluster)
        n = len(self._client.scheduler_info().get("workers", {})) or self.workers
        self.workers = n
        self.window = self.window or n * 4
        log.info("dask engine: %d workers at %s", n, self._client.scheduler.address)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def map(self, fn: Callable[[Any], Any], tasks: Iterable[Any],
            failed: Callable[[Any, BaseException], Any] | None = None,
            **_: Any) -> Iterator[Any]:
        """Ordered results; a chunk whose task fails on the cluster (e.g. its workers
        kept dying: ``KilledWorker``) yields ``failed(task, exc)``."""
        assert self._client is not None, "open the engine with `with`"
        client = self._client

        def result(pair: tuple) -> Any:
            task, fut = pair
            try:
                return fut.result()
            except Exception as exc:  # noqa: BLE001 - one lost chunk must not stop the batch
                if failed is None:
                    raise
                log.warning("a chunk failed on the cluster: %s", exc)
                return failed(task, exc)

        return _ordered(lambda t: (t, client.submit(fn, t, pure=False)), result,
                        tasks, self.window or 8)


def make_engine(engine: str, jobs: int, scheduler: str | None = None):
    """The engine for ``--engine`` and ``--jobs`` (``jobs`` <= 0: all cores)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    n = jobs if jobs and jobs > 0 else all_cores()
    if engine == "dask":
        return DaskEngine(n, scheduler)
    return PoolEngine(n)
