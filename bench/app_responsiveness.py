"""The app while it trains: how late a 5 ms UI timer fires, how often the window redraws, how busy the UI
thread is, and how fast training goes compared with the same `Session` trained headless.

The app is the real one (``create_window`` with the report-adam preset, batch size changed — and for the
last case a wide, deep network — and enough epochs to outlast the measurement), shown on Qt's offscreen
platform unless ``QT_QPA_PLATFORM`` says otherwise, redrawing at the rate its redraw budget sets.
Throughput is optimizer steps per wall-clock second, the per-epoch evaluation included (and, in the app,
the worker's snapshots); "loop only" divides by the training loop's own time (``EpochResult.elapsed``).
The headless run is timed half before and half after the app's, in the same process, on the main
thread, without Qt.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bench.table import format_table
from bench.ui_latency import Lateness, RedrawProbe, TimerProbe, quiet_qt_messages, run_event_loop
from minidl_gui.model.config import MAX_EPOCHS, Config, LayerConfig
from minidl_gui.model.presets import DEFAULT_PRESET, preset
from minidl_gui.model.session import Session
from minidl_gui.worker_commands import Train

SECONDS, QUICK_SECONDS = 10.0, 2.0
"""Length of each measurement window, per case."""
BATCH_SIZES = (1, 100)
WIDE = (1000, 8, 256)
"""The third case: batch 1000, 8 hidden layers of 256 (a big step: few, slow epochs)."""
RUN_EPOCHS = MAX_EPOCHS
"""``max_epochs`` of the measured runs (the most the app allows): at batch 100 the preset's 100 epochs last
well under a second, and ~400 epochs/s reach 100 000 only after minutes."""
STARTUP_TIMEOUT = 60.0
"""Seconds to wait for the window's first snapshot (and first trained epoch) before giving up."""

P99_TARGET_MS, MAX_TARGET_MS, REDRAW_TARGET_HZ, THROUGHPUT_TARGET, UI_CPU_TARGET = 8.0, 16.0, 20.0, 0.80, 0.25
"""Issue #12's targets (at batch 1 and 100; the wide case is reported against them too)."""


@dataclass(frozen=True)
class Mark:
    """Where a run was at ``time``: epochs done (with the done share of one in progress) and the training loop's
    seconds so far, which reach only the end of epoch ``loop_epochs`` (the whole epochs done; None: ``epoch``)."""

    time: float
    epoch: float
    loop_seconds: float
    loop_epochs: int | None = None

    @property
    def whole_epochs(self) -> float:
        """The epochs ``loop_seconds`` covers."""
        return self.epoch if self.loop_epochs is None else self.loop_epochs


@dataclass(frozen=True)
class Throughput:
    """``epochs`` of ``steps`` optimizer steps in ``wall_seconds`` (fractions of an epoch where a mark fell in the
    middle of one); ``loop_seconds`` the training loop's own seconds of ``loop_steps`` steps (whole epochs: the
    loop's time is known at an epoch's end only)."""

    epochs: float
    steps: float
    wall_seconds: float
    loop_seconds: float
    loop_steps: float | None = None
    """None: ``steps``."""

    @classmethod
    def between(cls, first: Mark, last: Mark, steps_per_epoch: int) -> Throughput:
        if last.epoch <= first.epoch:
            raise RuntimeError("no epoch finished while measuring: lengthen the measurement or shrink the data")
        epochs = last.epoch - first.epoch
        loop_steps = (last.whole_epochs - first.whole_epochs) * steps_per_epoch
        return cls(
            epochs, epochs * steps_per_epoch, last.time - first.time, last.loop_seconds - first.loop_seconds, loop_steps
        )

    def __add__(self, other: Throughput) -> Throughput:
        return Throughput(
            self.epochs + other.epochs,
            self.steps + other.steps,
            self.wall_seconds + other.wall_seconds,
            self.loop_seconds + other.loop_seconds,
            self.loop_step_count + other.loop_step_count,
        )

    @property
    def steps_per_second(self) -> float:
        return self.steps / self.wall_seconds

    @property
    def epochs_per_second(self) -> float:
        return self.epochs / self.wall_seconds

    @property
    def loop_steps_per_second(self) -> float:
        return self.loop_step_count / self.loop_seconds if self.loop_seconds > 0 else math.nan

    @property
    def loop_step_count(self) -> float:
        """The steps ``loop_seconds`` covers."""
        return self.steps if self.loop_steps is None else self.loop_steps


@dataclass(frozen=True)
class AppRun:
    """What one run of the app measured while it trained for ``seconds``.

    ``slot_ms``: each snapshot's frame, from its arrival to ``snapshotDrawn`` (its slices and their painting, and
    whatever else the UI thread ran in between); ``ui_cpu`` and ``process_cpu``: CPU seconds per second of the UI
    thread and of the window's process; ``training_cpu`` of the training process (None: training on a thread, or
    no /proc to read it from); ``interval``: the snapshot interval the window's redraw budget asked for at the
    end (None: the window has no budget).
    """

    seconds: float
    idle: Lateness
    lateness: Lateness
    redraws: int
    slot_ms: np.ndarray
    throughput: Throughput
    ui_cpu: float
    process_cpu: float
    interval: float | None = None
    idle_ui_cpu: float = 0.0
    training_cpu: float | None = None
    """The UI thread's CPU per second while the app is idle (just shown, before training) and the 5 ms probe ticks."""

    @property
    def redraw_hz(self) -> float:
        return self.redraws / self.seconds


@dataclass(frozen=True)
class AppMeasurement:
    """One case (``label``): the app's run and the same training headless."""

    batch_size: int
    app: AppRun
    headless: Throughput
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or f"batch {self.batch_size}"

    @property
    def ratio(self) -> float:
        return self.app.throughput.steps_per_second / self.headless.steps_per_second

    @property
    def loop_ratio(self) -> float:
        return self.app.throughput.loop_steps_per_second / self.headless.loop_steps_per_second


def bench_config(batch_size: int, n_points: int | None = None, hidden: tuple[int, int] | None = None) -> Config:
    """The default preset (report-adam) with ``batch_size``, `RUN_EPOCHS` epochs, optionally fewer points and
    ``hidden`` = (layers, width) ReLU layers in place of its own."""
    config = preset(DEFAULT_PRESET)
    config = config.replace(training=replace(config.training, batch_size=batch_size, max_epochs=RUN_EPOCHS))
    if n_points is not None:
        config = config.replace(data=replace(config.data, n_train=n_points, n_test=n_points))
    if hidden is not None:
        layers, width = hidden
        network = replace(config.network, hidden=tuple(LayerConfig(width, "relu") for _ in range(layers)))
        config = config.replace(network=network)
    return config


def cases() -> list[tuple[str, Config]]:
    """(column label, configuration) of each case measured: batch 1, batch 100, and the wide network."""
    batch, layers, width = WIDE
    wide = (f"b{batch}, {layers}×{width}", bench_config(batch, hidden=(layers, width)))
    return [*((f"batch {b}", bench_config(b)) for b in BATCH_SIZES), wide]


def session_mark(session: Session) -> Mark:
    """Where ``session`` is now: its epochs done plus the done share of the epoch in progress (as its last mid-epoch
    pause saw it; read from another thread, each value is one that training wrote)."""
    step, steps = session.progress
    done = session.epoch
    return Mark(time.perf_counter(), done + (step / steps if steps else 0.0), session.trainer.elapsed, done)


def measure_headless(config: Config, seconds: float) -> Throughput:
    """Train a fresh `Session` of ``config`` on this thread for about ``seconds`` (after one warm-up epoch)."""
    session = Session(config)
    epochs = session.epochs()
    try:
        next(epochs)
        first = last = session_mark(session)
        while last.time - first.time < seconds:
            next(epochs)
            last = session_mark(session)
    finally:
        epochs.close()
    return Throughput.between(first, last, len(session.trainer.loader))


def child_cpu_seconds(pid: int | None) -> float | None:
    """CPU seconds (user + system) process ``pid`` used so far, from Linux's /proc; None without one."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError, TypeError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime: fields 14, 15 of stat


def ensure_offscreen() -> None:
    """Qt's offscreen platform unless the caller chose one: set before the QApplication exists."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def measure_app(config: Config, seconds: float, *, show: bool = True, switch_interval: float | None = None) -> AppRun:
    """Open the app on ``config``, time the idle UI timer for ``seconds / 4``, start training, wait for
    the first epoch drawn, then measure for ``seconds``. ``show=False`` keeps the window hidden (no
    painting): a diagnosis of what the painting costs. ``switch_interval``: the GIL's switch interval for this
    run instead of the app's own (restored after)."""
    ensure_offscreen()
    from minidl_gui.launch import application, create_window, freeze_startup_objects

    application()
    app_switch_interval = sys.getswitchinterval()
    if switch_interval is not None:
        sys.setswitchinterval(switch_interval)
    try:
        return _measure_app(create_window, config, seconds, show, freeze_startup_objects)
    finally:
        sys.setswitchinterval(app_switch_interval)


def _measure_app(  # noqa: ANN001
    create_window, config: Config, seconds: float, show: bool, settle: Callable[[], None] = lambda: None
) -> AppRun:
    """`measure_app` with its app: ``create_window`` builds it, ``settle`` runs once it is shown (as the app does)."""
    with quiet_qt_messages("propagateSizeHints"):
        controller = create_window(config, remember=False, training_process=True)
        window = controller.window
        marks: list[Mark] = []

        def note_epoch() -> None:
            history = window.history
            if len(history):
                marks.append(Mark(time.perf_counter(), int(history.last("epoch")), history.last("elapsed")))

        receiver = getattr(window, "redraws", window)  # the worker's snapshots go to the window's scheduler
        redraws = RedrawProbe(window, window.snapshotDrawn, on_drawn=note_epoch, receiver=receiver)
        timer = TimerProbe(window)
        if show:
            window.show()
        settle()
        try:
            if not run_event_loop(STARTUP_TIMEOUT, redraws.redrawn):
                raise RuntimeError(f"the window drew no snapshot within {STARTUP_TIMEOUT:g} s")
            idle_ui_cpu = time.thread_time()
            timer.start()
            run_event_loop(seconds / 4)
            idle = timer.stop()
            idle_ui_cpu = (time.thread_time() - idle_ui_cpu) / (seconds / 4)
            controller.submit(Train())
            if not run_event_loop(STARTUP_TIMEOUT, redraws.redrawn, lambda: bool(marks)):
                raise RuntimeError(f"no epoch was trained and drawn within {STARTUP_TIMEOUT:g} s")
            first = session_mark(controller.session)  # the worker's own count: no redraw needed to see it
            ui_cpu, process_cpu = time.thread_time(), time.process_time()
            training_cpu = child_cpu_seconds(controller.worker.training_pid)
            redraws.start()
            timer.start()
            run_event_loop(seconds)
            lateness = timer.stop()
            redraws.stop()
            ui_cpu, process_cpu = time.thread_time() - ui_cpu, time.process_time() - process_cpu
            training_end = child_cpu_seconds(controller.worker.training_pid)
            training_cpu = None if training_cpu is None or training_end is None else training_end - training_cpu
            last = session_mark(controller.session)
            steps_per_epoch = len(controller.session.trainer.loader)
            interval = controller.worker.interval if hasattr(window, "redraws") else None
        finally:
            window.close()  # stops the worker after its epoch and joins its thread
            window.deleteLater()
            run_event_loop(0)
    return AppRun(
        seconds=seconds,
        idle=idle,
        lateness=lateness,
        redraws=len(redraws.times),
        slot_ms=np.asarray(redraws.slot_seconds) * 1e3,
        throughput=Throughput.between(first, last, steps_per_epoch),
        ui_cpu=ui_cpu / seconds,
        process_cpu=process_cpu / seconds,
        training_cpu=None if training_cpu is None else training_cpu / seconds,
        interval=interval,
        idle_ui_cpu=idle_ui_cpu,
    )


def measure(config: Config, seconds: float, label: str = "", switch_interval: float | None = None) -> AppMeasurement:
    """Headless for ``seconds / 2``, the app for ``seconds``, headless again for ``seconds / 2``."""
    before = measure_headless(config, seconds / 2)
    app = measure_app(config, seconds, switch_interval=switch_interval)
    after = measure_headless(config, seconds / 2)
    return AppMeasurement(config.training.batch_size, app, before + after, label)


LEGEND = (
    "Qt platform {platform}; lateness = interval between two timeouts of a 5 ms PreciseTimer on the UI thread − 5 ms;\n"
    "redraws = the window's snapshotDrawn per second; frame = a snapshot's arrival to its snapshotDrawn (its slices,\n"
    "their painting, and other UI work in between); interval = the snapshot interval the redraw budget asked for;\n"
    "steps/s = optimizer steps per wall second with the per-epoch evaluation (and in the app the snapshots);\n"
    "headless = the same Session on the main thread without Qt, half before and half after the app (which trains\n"
    "in its training process); loop only = steps per second of the training loop itself (EpochResult.elapsed);\n"
    "CPU = cores busy (process: the window's)."
)


def _verdict(ok: bool) -> str:
    return "pass" if ok else "MISS"


def format_app_table(measurements: list[AppMeasurement]) -> str:
    """One row per metric: its value in each case, the target beside it, then pass/MISS per case."""
    ms = measurements
    headers = ["metric", *(m.name for m in ms), "target", *(f"#{i + 1}" for i in range(len(ms)))]

    def row(name: str, values: list[str], target: str = "", checks: list[bool] | None = None) -> list[str]:
        return [name, *values, target, *([_verdict(c) for c in checks] if checks else [""] * len(ms))]

    runs = [m.app for m in ms]
    slot = [f"{np.median(r.slot_ms):.1f} / {r.slot_ms.max():.1f}" if len(r.slot_ms) else "–" for r in runs]
    intervals = [f"{r.interval * 1e3:.0f}" if r.interval is not None else "–" for r in runs]
    rows = [
        row("5 ms timer lateness p50 (ms)", [f"{r.lateness.p50:.2f}" for r in runs]),
        row(
            "5 ms timer lateness p99 (ms)",
            [f"{r.lateness.p99:.2f}" for r in runs],
            f"<= {P99_TARGET_MS:g}",
            [r.lateness.p99 <= P99_TARGET_MS for r in runs],
        ),
        row(
            "5 ms timer lateness max (ms)",
            [f"{r.lateness.max:.2f}" for r in runs],
            f"<= {MAX_TARGET_MS:g}",
            [r.lateness.max <= MAX_TARGET_MS for r in runs],
        ),
        row("  same, app idle: p99 / max (ms)", [f"{r.idle.p99:.2f} / {r.idle.max:.2f}" for r in runs]),
        row(
            "redraws per second",
            [f"{r.redraw_hz:.1f}" for r in runs],
            f">= {REDRAW_TARGET_HZ:g}",
            [r.redraw_hz >= REDRAW_TARGET_HZ for r in runs],
        ),
        row("  frame median / max (ms)", slot),
        row("  snapshot interval asked (ms)", intervals),
        row("  epochs per second in the app", [f"{r.throughput.epochs_per_second:.1f}" for r in runs]),
        row("steps/s in the app", [f"{r.throughput.steps_per_second:,.0f}" for r in runs]),
        row("steps/s headless", [f"{m.headless.steps_per_second:,.0f}" for m in ms]),
        row(
            "app / headless",
            [f"{m.ratio:.0%}" for m in ms],
            f">= {THROUGHPUT_TARGET:.0%}",
            [m.ratio >= THROUGHPUT_TARGET for m in ms],
        ),
        row("  loop only: app / headless", [f"{m.loop_ratio:.0%}" for m in ms]),
        row(
            "UI thread CPU (cores)",
            [f"{r.ui_cpu:.2f}" for r in runs],
            f"<= {UI_CPU_TARGET:g}",
            [r.ui_cpu <= UI_CPU_TARGET for r in runs],
        ),
        row("  same, app idle (just shown) (cores)", [f"{r.idle_ui_cpu:.2f}" for r in runs]),
        row("  process CPU (cores)", [f"{r.process_cpu:.2f}" for r in runs]),
        row("training process CPU (cores)", [f"{r.training_cpu:.2f}" if r.training_cpu else "–" for r in runs]),
    ]
    legend = "  ".join(f"#{i + 1} = {m.name}" for i, m in enumerate(ms))
    return format_table(headers, rows) + "\n" + legend


def run(quick: bool, switch_interval: float | None = None) -> None:
    """Measure every case and print the table (``python -m bench --app``); ``switch_interval``: the GIL's, in
    place of the app's own (``--switch-interval``)."""
    seconds = QUICK_SECONDS if quick else SECONDS
    print(f"\n## App responsiveness while training ({DEFAULT_PRESET} preset, {seconds:g} s per measurement)")
    ensure_offscreen()
    print(LEGEND.format(platform=os.environ["QT_QPA_PLATFORM"]), flush=True)
    from minidl_gui.launch import application

    application()
    chosen = switch_interval if switch_interval is not None else sys.getswitchinterval()
    print(f"GIL switch interval {chosen * 1e3:g} ms" + (" (--switch-interval)" if switch_interval else " (the app's)"))
    measurements = [measure(config, seconds, label, switch_interval) for label, config in cases()]
    print(format_app_table(measurements), flush=True)
