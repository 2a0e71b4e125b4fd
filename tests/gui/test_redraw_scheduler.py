"""`RedrawScheduler`: a snapshot's views drawn in separate event-loop slices while training, merged, throttled, flushed
when training halts; and the window and controller wired to it. Nothing is timed: clocks are fakes, and the order of
events is what is checked."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QWidget

from minidl_gui.model.redraw_budget import RedrawBudget, SideBudget
from minidl_gui.model.session import Session
from minidl_gui.model.worker_state import WorkerState
from minidl_gui.widgets.main_window import MainWindow
from minidl_gui.widgets.redraw_scheduler import RedrawScheduler, View

pytestmark = pytest.mark.usefixtures("qapp")
LOW_PRIORITY = Qt.EventPriority.LowEventPriority.value  # the priority of a widget's UpdateRequest (its paint)


class Clock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Recorder:
    """Three views (decision, side and status; the last two throttled) that log what they draw into ``log``."""

    def __init__(self) -> None:
        self.log: list[tuple[str, object]] = []
        self.taken: list[object] = []
        self.wall, self.cpu = Clock(), Clock()
        self.on_draw: dict[str, object] = {}

    def view(self, name: str, throttled: bool = False) -> View:
        def draw(snapshot: object) -> None:
            self.log.append((name, snapshot))
            hook = self.on_draw.get(name)
            if hook is not None:
                hook()

        return View(name, draw, throttled)

    def scheduler(self, **kwargs) -> RedrawScheduler:
        views = (self.view("decision"), self.view("side", True), self.view("status", True))
        scheduler = RedrawScheduler(self.taken.append, views, clock=self.wall, cpu_clock=self.cpu, **kwargs)
        scheduler.frameDrawn.connect(lambda: self.log.append(("drawn", None)))
        return scheduler

    def names(self) -> list[str]:
        return [name for name, _ in self.log]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def training(recorder: Recorder, **kwargs) -> RedrawScheduler:
    scheduler = recorder.scheduler(**kwargs)
    scheduler.set_training(True)
    return scheduler


def probe(recorder, name: str):
    """A hook for view ``name``'s draw: a 0 ms timer that logs "probe after NAME" when it fires."""
    return lambda: QTimer.singleShot(0, lambda: recorder.log.append((f"probe after {name}", None)))


def test_while_training_each_view_draws_in_its_own_event_loop_slice(qtbot, recorder) -> None:
    """A 0 ms timer started while the decision plot draws fires before the side tab draws, and one started by the
    side tab before the status bar: other timers (the user's, a paint's) run between two slices."""
    scheduler = training(recorder)

    recorder.on_draw = {"decision": probe(recorder, "decision"), "side": probe(recorder, "side")}
    with qtbot.waitSignal(scheduler.frameDrawn):
        scheduler.offer("s1")
        assert recorder.names() == ["decision"]  # the first slice runs at once, the others later
    assert recorder.names() == ["decision", "probe after decision", "side", "probe after side", "status", "drawn"]
    assert recorder.taken == ["s1"]


def test_a_low_priority_event_posted_in_a_slice_is_delivered_before_the_next_slice(qtbot, recorder) -> None:
    """Qt posts a widget's paint (UpdateRequest) with a low priority: a real 0 ms timer lets it through before the
    next slice, where ``QTimer.singleShot(0, f)`` (a posted normal-priority call) would run first."""
    scheduler = training(recorder)

    class Receiver(QObject):
        def event(self, event: QEvent) -> bool:
            if event.type() == QEvent.Type.User:
                recorder.log.append(("low-priority event", None))
                return True
            return super().event(event)

    receiver = Receiver()
    post = lambda: QCoreApplication.postEvent(receiver, QEvent(QEvent.Type.User), LOW_PRIORITY)  # noqa: E731
    recorder.on_draw = {"decision": post}
    with qtbot.waitSignal(scheduler.frameDrawn):
        scheduler.offer("s1")
    assert recorder.names()[:3] == ["decision", "low-priority event", "side"]


def test_a_widget_updated_in_a_slice_is_painted_before_the_next_slice_and_before_the_frame_ends(qtbot, recorder):
    log = recorder.log

    class Painted(QWidget):
        def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
            log.append(("paint", None))

    widget = Painted()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    scheduler = training(recorder)
    recorder.on_draw = {"decision": widget.update, "status": widget.update}
    with qtbot.waitSignal(scheduler.frameDrawn):
        scheduler.offer("s1")
    names = recorder.names()
    first = names.index("decision")
    assert names[first : first + 3] == ["decision", "paint", "side"]
    assert names[-3:] == ["status", "paint", "drawn"]  # snapshotDrawn after the last slice's paint


def test_a_plot_changed_in_a_slice_is_painted_before_the_next_slice(qtbot, recorder) -> None:
    """A pyqtgraph plot repaints one queued call later (its scene's update), still before the next slice."""
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    curve = plot.plot([0, 1], [0, 1])
    plot.show()
    qtbot.waitExposed(plot)

    class Painted(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
            if event.type() == QEvent.Type.Paint:
                recorder.log.append(("paint", None))
            return False

    painted = Painted()
    plot.viewport().installEventFilter(painted)
    scheduler = training(recorder)
    recorder.on_draw = {"decision": lambda: curve.setData([0, 1, 2], [1, 0, 1])}
    with qtbot.waitSignal(scheduler.frameDrawn):
        QTimer.singleShot(0, lambda: scheduler.offer("s1"))  # as the worker's queued signal calls it
    names = recorder.names()
    assert "paint" in names[names.index("decision") : names.index("side")]


def test_qt_runs_a_queued_zero_timeout_call_before_a_low_priority_paint() -> None:
    """Why the slices use a timer object: ``QTimer.singleShot(0, f)`` is posted like a queued call and runs before
    an earlier-posted low-priority event (Qt 6) — a chain of them would starve the paint until it ends."""
    log: list[str] = []

    class Receiver(QObject):
        def event(self, event: QEvent) -> bool:
            if event.type() == QEvent.Type.User:
                log.append("low-priority event")
                return True
            return super().event(event)

    receiver = Receiver()
    QCoreApplication.postEvent(receiver, QEvent(QEvent.Type.User), LOW_PRIORITY)
    QTimer.singleShot(0, lambda: log.append("singleShot(0)"))
    QCoreApplication.sendPostedEvents()
    assert log == ["singleShot(0)", "low-priority event"]


def test_snapshot_drawn_once_per_frame_after_its_last_slice(qtbot, recorder) -> None:
    scheduler = training(recorder)
    for snapshot in ("s1", "s2"):
        recorder.wall.now += 1.0  # the throttled views are due
        with qtbot.waitSignal(scheduler.frameDrawn):
            scheduler.offer(snapshot)
    assert recorder.log == [
        ("decision", "s1"),
        ("side", "s1"),
        ("status", "s1"),
        ("drawn", None),
        ("decision", "s2"),
        ("side", "s2"),
        ("status", "s2"),
        ("drawn", None),
    ]


def test_a_snapshot_arriving_mid_frame_is_merged_the_newest_wins(qtbot, recorder) -> None:
    """s2 arrives while s1's decision plot is drawn: the side tab and status bar draw s2, the decision plot draws
    s2 again before the frame ends, one ``frameDrawn``; both snapshots were taken (no history row lost)."""
    scheduler = training(recorder)

    def send_s2_once() -> None:
        recorder.on_draw.clear()
        QTimer.singleShot(0, lambda: scheduler.offer("s2"))  # before the next slice: a posted call

    recorder.on_draw = {"decision": send_s2_once}
    with qtbot.waitSignal(scheduler.frameDrawn):
        scheduler.offer("s1")
    assert recorder.taken == ["s1", "s2"]
    assert recorder.log[:5] == [
        ("decision", "s1"),
        ("decision", "s2"),
        ("side", "s2"),
        ("status", "s2"),
        ("drawn", None),
    ]


def test_throttled_views_wait_their_turn_and_are_caught_up(qtbot, recorder) -> None:
    scheduler = training(recorder, throttle=0.25)
    with qtbot.waitSignal(scheduler.frameDrawn):
        scheduler.offer("s1")
    recorder.log.clear()
    recorder.wall.now += 0.05  # too soon for the side tab and the status bar
    with qtbot.waitSignal(scheduler.frameDrawn):
        scheduler.offer("s2")
    assert recorder.log == [("decision", "s2"), ("drawn", None)]
    assert scheduler.dirty == {"side", "status"}
    recorder.wall.now += 0.25  # no snapshot came: a catch-up frame draws them, without a second frameDrawn
    qtbot.waitUntil(lambda: not scheduler.dirty)
    assert recorder.log == [("decision", "s2"), ("drawn", None), ("side", "s2"), ("status", "s2")]


def test_when_the_budget_slows_frames_down_throttled_views_skip_more_of_them(qtbot, recorder) -> None:
    """Interval 0.2 s: the side tab and status bar wait three intervals (0.6 s), not only the 0.25 s throttle."""
    budget = RedrawBudget(share=0.1, smoothing=1e9)  # the cost stays at its first frame's
    budget.frame(cpu=0.02, wall=0.2)
    scheduler = training(recorder, budget=budget, throttle=0.25)
    assert scheduler.period == pytest.approx(0.6)
    with qtbot.waitSignal(scheduler.frameDrawn):
        scheduler.offer("s1")
    recorder.log.clear()
    recorder.wall.now += 0.3
    with qtbot.waitSignal(scheduler.frameDrawn):
        scheduler.offer("s2")
    assert recorder.names() == ["decision", "drawn"]
    recorder.wall.now += 0.3
    with qtbot.waitSignal(scheduler.frameDrawn):
        scheduler.offer("s3")
    assert recorder.names() == ["decision", "drawn", "decision", "side", "status", "drawn"]


def test_halting_draws_the_last_snapshot_whole_at_once(qtbot, recorder) -> None:
    scheduler = training(recorder)
    with qtbot.waitSignal(scheduler.frameDrawn):
        scheduler.offer("s1")
    recorder.log.clear()
    scheduler.offer("final")  # the worker's forced snapshot, then its state: no event loop in between
    scheduler.set_training(False)
    assert recorder.log == [("decision", "final"), ("side", "final"), ("status", "final"), ("drawn", None)]
    assert not scheduler.in_frame and not scheduler.dirty  # no slice left to draw it again


def test_a_snapshot_while_halted_is_drawn_whole_and_synchronously(recorder) -> None:
    scheduler = recorder.scheduler()
    scheduler.offer("reset")
    assert recorder.log == [("decision", "reset"), ("side", "reset"), ("status", "reset"), ("drawn", None)]
    scheduler.set_training(True)
    recorder.log.clear()
    scheduler.draw_now("scripted")  # a test, a scripted run, a screenshot: synchronous whatever the state
    assert recorder.log == [("decision", "scripted"), ("side", "scripted"), ("status", "scripted"), ("drawn", None)]


def test_each_training_frame_feeds_the_budget_and_sends_its_interval(qtbot, recorder) -> None:
    """The budget gets the CPU seconds of the frame's slices (and what ran between them) but the throttled views'
    (theirs is the side budget), not of the idle time before it, and the wall seconds since the last frame."""
    intervals: list[float] = []
    scheduler = training(recorder, budget=RedrawBudget(share=0.1))
    scheduler.intervalChanged.connect(intervals.append)

    def cost(seconds: float):
        def spend() -> None:
            recorder.cpu.now += seconds

        return spend

    recorder.on_draw = {"decision": cost(0.015), "side": cost(0.005)}
    recorder.wall.now += 0.05
    recorder.cpu.now += 0.5  # a timer's work while no frame was drawn
    with qtbot.waitSignal(scheduler.frameDrawn):
        scheduler.offer("s1")
    assert intervals == [pytest.approx(0.15)]  # the decision plot's 15 ms per frame at 10 % of a core
    assert scheduler.budget.busy == pytest.approx(0.3)  # 15 ms in 50 ms
    assert scheduler.view_cost["side"] == pytest.approx(0.005)


def test_a_synchronous_draw_while_training_feeds_the_budget_only_its_own_cpu(recorder) -> None:
    intervals: list[float] = []
    scheduler = training(recorder, budget=RedrawBudget(share=0.1))
    scheduler.intervalChanged.connect(intervals.append)
    recorder.wall.now += 0.1
    recorder.cpu.now += 5.0  # before the draw: not its cost

    def spend() -> None:
        recorder.cpu.now += 0.01

    recorder.on_draw = {"decision": spend}
    scheduler.draw_now("scripted")
    assert intervals == [pytest.approx(0.1)]


def test_halted_frames_do_not_feed_the_budget(recorder) -> None:
    intervals: list[float] = []
    scheduler = recorder.scheduler()
    scheduler.intervalChanged.connect(intervals.append)
    recorder.cpu.now += 1.0
    scheduler.offer("reset")
    assert intervals == [] and scheduler.budget.cost is None


# -- the window ------------------------------------------------------------------------------------------------
@pytest.fixture
def snapshots(small_config):
    """Two snapshots of a small session: after epoch 1, and after epochs 2 and 3 (rows 1 and 2)."""
    session = Session(small_config, resolution=12)
    epochs = session.epochs()
    next(epochs)
    first = session.snapshot()
    next(epochs), next(epochs)
    second = session.snapshot()
    epochs.close()
    return first, second


def test_the_window_draws_the_shown_side_tab_and_leaves_hidden_ones_stale(qtbot, snapshots) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.set_state(WorkerState.RUNNING)
    assert window.side_tabs.currentWidget() is window.curves
    with qtbot.waitSignal(window.snapshotDrawn):
        window.redraws.offer(snapshots[0])
    x, _ = window.curves.curves["train_loss"].getData()
    assert len(x) == 1
    assert window.network._stale and window.gradients._stale and window.confusion._stale  # noqa: SLF001
    window.side_tabs.setCurrentWidget(window.network)  # shown: drawn from the data it kept
    assert not window.network._stale  # noqa: SLF001


def test_the_window_takes_every_history_row_at_once_even_merged(qtbot, snapshots) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.set_state(WorkerState.RUNNING)
    with qtbot.waitSignal(window.snapshotDrawn):
        window.redraws.offer(snapshots[0])
        window.redraws.offer(snapshots[1])  # before the first frame's second slice
        assert len(window.history) == 3 and window.last_snapshot is snapshots[1]
    window.set_state(WorkerState.PAUSED)
    x, _ = window.curves.curves["train_loss"].getData()
    assert list(x) == [1, 2, 3]
    assert window.status.fields["epoch"].text() == "epoch 3"


def test_the_status_bar_shows_a_mid_epoch_snapshots_progress(qtbot, snapshots) -> None:
    from dataclasses import replace

    window = MainWindow()
    qtbot.addWidget(window)
    window.show_snapshot(replace(snapshots[0], step=4, steps=10))
    assert window.status.fields["epoch"].text() == "epoch 1 · 40 %"
    window.show_snapshot(replace(snapshots[0], start=1, results=()))
    assert window.status.fields["epoch"].text() == "epoch 1"


def test_the_controller_routes_snapshots_through_the_scheduler_and_the_budget_to_the_worker(playground) -> None:
    controller = playground()
    window = controller.window
    window.redraws.intervalChanged.emit(0.3)
    assert controller.worker.interval == 0.3
    assert np.isfinite(controller.worker.interval)


def spend(recorder: Recorder, seconds: float):
    """A hook for a view's draw that costs ``seconds`` of the (fake) CPU clock."""

    def hook() -> None:
        recorder.cpu.now += seconds

    return hook


def test_costly_throttled_views_redraw_less_often_when_the_ui_thread_has_little_left(qtbot, recorder) -> None:
    """The side tab costs 30 ms a redraw, and the UI thread spent 18 % of a core elsewhere (the decision plot's 4 ms
    frame, 14 ms of other work): the side views get their least share, 3 %, and redraw together every 30 ms / 0.03 =
    1 s (not every 0.25 s); the frames' budget is fed the frame's CPU without them."""
    budget = RedrawBudget(share=0.5, smoothing=1e9)
    side_budget = SideBudget(total=0.2, least=0.03, smoothing=0)  # the last sample counts alone
    scheduler = training(recorder, budget=budget, side_budget=side_budget, throttle=0.25)
    recorder.on_draw = {"decision": spend(recorder, 0.004), "side": spend(recorder, 0.030)}
    recorder.wall.now += 0.1
    recorder.cpu.now += 0.014  # a timer's work before the frame
    with qtbot.waitSignal(scheduler.frameDrawn):
        scheduler.offer("s1")
    assert scheduler.view_cost["side"] == pytest.approx(0.030)
    assert side_budget.other == pytest.approx(0.18)  # (14 + 4) ms in 0.1 s
    assert scheduler.throttled_period == pytest.approx(1.0)
    assert budget.cost == pytest.approx(0.004)  # the decision plot's 4 ms, not the side tab's 30
    for wall, drawn in ((0.3, ["decision", "drawn"]), (0.75, ["decision", "side", "status", "drawn"])):
        recorder.log.clear()
        recorder.wall.now += wall  # past the 0.25 s throttle, then past the side views' 1 s
        recorder.cpu.now += 0.18 * wall - 0.004  # the UI thread's other work goes on at 18 %
        with qtbot.waitSignal(scheduler.frameDrawn):
            scheduler.offer("s2")
        assert recorder.names() == drawn


def test_throttled_views_share_what_the_ui_thread_leaves_of_its_share(qtbot, recorder) -> None:
    """The UI thread spent 4 % of a core outside the side views: they may take 16 %, and at 40 ms for a redraw of
    them all (side 30, status 10) they redraw every 0.25 s."""
    side_budget = SideBudget(total=0.2, least=0.03, smoothing=0)
    scheduler = training(recorder, side_budget=side_budget, throttle=0.1)
    recorder.on_draw = {
        "decision": spend(recorder, 0.004),
        "side": spend(recorder, 0.030),
        "status": spend(recorder, 0.01),
    }
    recorder.wall.now += 0.1
    with qtbot.waitSignal(scheduler.frameDrawn):
        scheduler.offer("s1")
    assert side_budget.share == pytest.approx(0.16)
    assert scheduler.throttled_period == pytest.approx(0.040 / 0.16)


def test_taking_a_snapshot_is_its_frames_cost(qtbot, recorder) -> None:
    """The window takes a snapshot's history rows as it arrives: 3 ms of the frame, with the decision plot's 2."""
    budget = RedrawBudget(share=0.1, smoothing=1e9)

    def take(snapshot: object) -> None:
        recorder.cpu.now += 0.003

    views = (recorder.view("decision"),)
    scheduler = RedrawScheduler(take, views, clock=recorder.wall, cpu_clock=recorder.cpu, budget=budget)
    scheduler.set_training(True)
    recorder.on_draw = {"decision": spend(recorder, 0.002)}
    recorder.wall.now += 0.1
    with qtbot.waitSignal(scheduler.frameDrawn):
        scheduler.offer("s1")
    assert budget.cost == pytest.approx(0.005)


def test_a_view_that_raises_does_not_stop_the_frame(qtbot, recorder) -> None:
    """The error goes out (to Qt's handler in the app: the snapshot's queued call); the other views draw and the frame
    ends, so snapshots come again — in slices while training, and in a synchronous draw."""
    scheduler = training(recorder)

    def broken() -> None:
        raise RuntimeError("a view's bug")

    recorder.on_draw = {"decision": broken}
    with qtbot.waitSignal(scheduler.frameDrawn), pytest.raises(RuntimeError, match="a view's bug"):
        scheduler.offer("s1")  # the first slice runs in the call that brings the snapshot
    assert recorder.names() == ["decision", "side", "status", "drawn"]
    assert not scheduler.in_frame
    recorder.log.clear()
    with pytest.raises(RuntimeError, match="a view's bug"):
        scheduler.draw_now("s2")
    assert recorder.names() == ["decision", "drawn"] and not scheduler.in_frame


def test_while_training_the_status_bar_keeps_the_epoch_fields_width(qtbot, snapshots) -> None:
    """ " · 40 %" comes and goes within an epoch: the fields right of the epoch must not jump (they did by ~40 px)."""
    from dataclasses import replace

    window = MainWindow()
    qtbot.addWidget(window)
    epoch = window.status.fields["epoch"]
    window.set_state(WorkerState.RUNNING)
    window.show_snapshot(replace(snapshots[0], step=4, steps=10))
    assert epoch.minimumWidth() >= epoch.fontMetrics().horizontalAdvance("epoch 100000 · 100 %")
    window.set_state(WorkerState.PAUSED)
    assert epoch.minimumWidth() == 0  # halted: as narrow as its text, as before


class SteppedRecorder(Recorder):
    """Like `Recorder`, but the side view draws in three steps, logged as ("side 1", snapshot) etc."""

    def view(self, name: str, throttled: bool = False) -> View:
        if name != "side":
            return super().view(name, throttled)

        def draw(snapshot: object):
            for step in (1, 2, 3):
                self.log.append((f"side {step}", snapshot))
                hook = self.on_draw.get(f"side {step}")
                if hook is not None:
                    hook()
                if step < 3:
                    yield

        return View(name, draw, throttled)


def test_a_view_drawn_in_steps_runs_one_step_per_slice_and_the_next_view_waits_for_its_last(qtbot) -> None:
    recorder = SteppedRecorder()
    scheduler = training(recorder)

    recorder.on_draw = {"side 1": probe(recorder, "side 1"), "side 2": probe(recorder, "side 2")}
    with qtbot.waitSignal(scheduler.frameDrawn):
        scheduler.offer("s1")
    assert recorder.names() == [
        "decision",
        "side 1",
        "probe after side 1",
        "side 2",
        "probe after side 2",
        "side 3",
        "status",
        "drawn",
    ]


def test_a_view_drawn_in_steps_is_drawn_whole_at_once_when_flushed(qtbot) -> None:
    """Halting mid-steps finishes them at once, and a synchronous draw runs every step there and then."""
    recorder = SteppedRecorder()
    scheduler = training(recorder)
    halt = lambda: QTimer.singleShot(0, lambda: scheduler.set_training(False))  # noqa: E731 - before the next slice
    recorder.on_draw = {"side 1": halt}
    with qtbot.waitSignal(scheduler.frameDrawn):
        scheduler.offer("s1")
    assert recorder.names() == ["decision", "side 1", "side 2", "side 3", "status", "drawn"]
    recorder.log.clear()
    recorder.on_draw = {}
    scheduler.draw_now("s2")
    assert recorder.names() == ["decision", "side 1", "side 2", "side 3", "status", "drawn"]
    assert not scheduler.in_frame


def test_a_snapshot_arriving_mid_steps_lets_the_view_finish_then_draws_the_newest(qtbot) -> None:
    recorder = SteppedRecorder()
    scheduler = training(recorder, throttle=0.0)
    recorder.on_draw = {"side 1": lambda: QTimer.singleShot(0, lambda: scheduler.offer("s2"))}
    with qtbot.waitSignal(scheduler.frameDrawn):
        scheduler.offer("s1")
    assert recorder.log[:5] == [
        ("decision", "s1"),
        ("side 1", "s1"),
        ("side 2", "s1"),  # the side view finishes the snapshot it began...
        ("side 3", "s1"),
        ("decision", "s2"),  # ...then the views draw the newest, the side view again if due
    ]
    assert recorder.taken == ["s1", "s2"]


def test_a_throttled_view_drawn_in_steps_costs_all_its_slices(qtbot) -> None:
    recorder = SteppedRecorder()
    budget = RedrawBudget(share=0.5, smoothing=1e9)
    scheduler = training(recorder, budget=budget)

    def costs(seconds: float):
        def hook() -> None:
            recorder.cpu.now += seconds

        return hook

    recorder.on_draw = {
        "decision": costs(0.004),
        "side 1": costs(0.003),
        "side 2": costs(0.002),
        "side 3": costs(0.001),
    }
    recorder.wall.now += 0.1
    with qtbot.waitSignal(scheduler.frameDrawn):
        scheduler.offer("s1")
    assert scheduler.view_cost["side"] == pytest.approx(0.006)
    assert budget.cost == pytest.approx(0.004)  # the frames' budget: the decision plot's only


def test_a_step_that_raises_ends_its_view_and_not_the_frame(qtbot) -> None:
    recorder = SteppedRecorder()
    scheduler = training(recorder)

    def broken() -> None:
        raise RuntimeError("a step's bug")

    recorder.on_draw = {"side 2": broken}
    with qtbot.capture_exceptions() as raised, qtbot.waitSignal(scheduler.frameDrawn):
        scheduler.offer("s1")
    assert [str(error[1]) for error in raised] == ["a step's bug"]
    assert recorder.names() == ["decision", "side 1", "side 2", "status", "drawn"]
