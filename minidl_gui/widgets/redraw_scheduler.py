"""`RedrawScheduler`: draws the worker's snapshots in slices, so that the UI thread never stalls for a whole redraw.

While training, a snapshot is taken at once (``take``: the window's history rows and app state; cheap, nothing lost)
and its views are drawn one per event-loop *slice*, in order (the window's: decision plot, side tab, the curves'
metric plot, status bar). Each slice after the first is started by a real 0 ms single-shot `QTimer` — not
``QTimer.singleShot(0, f)`` or a queued call, which Qt 6 posts as normal-priority events ahead of the low-priority
``UpdateRequest`` that paints the previous slice: a timer lets other timers and input run in between. The timer
starts once the slice is painted: a slice posts a low-priority event behind its paint (twice, see `PAINT_HOPS`) and
starts the timer when it arrives — a 0 ms timer alone may fire before the paint (Qt's non-glib dispatcher, or a
slice run outside the event loop). After the last view's slice one more slice ends the *frame* (so its paint ran):
``frameDrawn`` (the window's ``snapshotDrawn``, the worker's permission to send the next one), then the frame's
UI-thread CPU and wall seconds go to the `RedrawBudget` and its interval goes out as ``intervalChanged`` (the
worker's ``set_interval``). A frame's CPU is the UI thread's from the snapshot's taking to its end — the slices, their
painting and whatever ran between them — not the idle time between frames: other UI work (none while the app trains
untouched; a benchmark's 5 ms probe timer, ~0.05 core) does not slow the frames down.

Throttled views (the window's side tab, metric plot and status bar) are drawn at most every `period` seconds while
training, and less often when they cost more than the UI thread has left: their `SideBudget` is fed, at each frame's
end, the UI thread's CPU outside their slices (the frames, and whatever other work ran: that is where a busy UI thread
gives way) and allows them ``max(SIDE_SHARE, UI_SHARE − that share)``; they redraw together every `throttled_period`,
their costs (each slice's CPU, painting included, all the slices of a view drawn in steps) summed over that. Their cost
is left out of the frame's (the frames' budget paces the decision plot, which animates). One skipped is drawn by a later
frame, or by a catch-up frame when no snapshot comes in time. A snapshot that arrives during a frame is merged into it:
every view (those drawn already included; a throttled one if due) draws the newest before the frame ends (one
``frameDrawn``). When training halts (`set_training(False)`: the worker sends the final snapshot *before* the state)
every view still owing a snapshot is drawn at once (`flush`), so whoever sees "done" or "paused" sees the whole final
picture. A snapshot offered while not training (a reset, an edit, a step) is drawn whole at once, as `draw_now` does.

A view's draw may come in *steps*: ``draw`` returns an iterator, and each item it yields ends a step. While training
the first step runs in the view's slice and each further one in a slice of its own (the curves: their data, their
ranges, each axis' picture, then the paint, each a few ms where the whole was up to ~20); the next view waits for the
last step, and a throttled view's cost is that of all its slices. Drawn at once (`flush`, `draw_now`), every step
runs there and then. A snapshot merged into the frame meanwhile does not cut a view's steps short: the view finishes
the snapshot it began, and draws the newer one in a later slice, if due.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal, Slot

from minidl_gui.model.redraw_budget import RedrawBudget, SideBudget
from minidl_gui.model.snapshot import Snapshot

THROTTLE_SECONDS = 0.25
"""While training, a throttled view (the side tab, the metric plot, the status bar) is redrawn at most this often
(4 per second)..."""
THROTTLE_FRAMES = 3
"""...and at most every this many budget intervals: the side tab costs about twice the decision plot, so when the
budget slows the frames down the decision plot keeps most of them (``period = max(THROTTLE_SECONDS,
THROTTLE_FRAMES × interval)``); costly ones less often, as their `SideBudget` allows."""
PAINT_HOPS = 2
"""Low-priority events a slice posts one after the other before it starts the next slice's timer: a widget's
paint is a low-priority ``UpdateRequest`` posted by its ``update()`` — by a `QGraphicsScene` one queued call later —
and posted events of one priority are delivered in order, so two hops come after the slice's paint."""
_SLICE_PAINTED = QEvent.Type(QEvent.registerEventType())
_LOW_PRIORITY = Qt.EventPriority.LowEventPriority.value


@dataclass(frozen=True)
class View:
    """What a snapshot redraws: ``draw(snapshot)``, whole, or returning the iterable of its further steps (see the
    module's docstring); a ``throttled`` one at most every `RedrawScheduler.throttled_period` seconds in training."""

    name: str
    draw: Callable[[Snapshot], Iterable[object] | None]
    throttled: bool = False


class RedrawScheduler(QObject):
    """Draws snapshots of ``views`` (in this order) in event-loop slices; ``take(snapshot)`` runs on arrival.

    ``clock`` (wall seconds) and ``cpu_clock`` (this thread's CPU seconds) are what the budget is fed with.
    """

    frameDrawn = Signal()  # noqa: N815 (Qt naming)
    intervalChanged = Signal(float)  # noqa: N815 - seconds the worker should keep between snapshots

    def __init__(
        self,
        take: Callable[[Snapshot], None],
        views: Sequence[View],
        parent: QObject | None = None,
        *,
        budget: RedrawBudget | None = None,
        side_budget: SideBudget | None = None,
        throttle: float = THROTTLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        cpu_clock: Callable[[], float] = time.thread_time,
    ) -> None:
        super().__init__(parent)
        self.take, self.views = take, tuple(views)
        self.budget = budget if budget is not None else RedrawBudget()
        self.side_budget = side_budget if side_budget is not None else SideBudget()
        self.throttle, self.clock, self.cpu_clock = throttle, clock, cpu_clock
        self.training = False
        self.latest: Snapshot | None = None
        self.dirty: set[str] = set()
        """Names of the views that have not drawn ``latest`` yet."""
        self.in_frame = False
        self._unsignalled = False  # a snapshot was taken since the last frameDrawn
        self._drawn_at: dict[str, float] = {}
        self._last_end = self.clock()  # when the last frame ended
        self._frame_cpu = 0.0  # the UI thread's CPU seconds of the frame so far
        self._slices_since = self.cpu_clock()  # CPU clock when the current run of slices began
        self._since = (self._last_end, self._slices_since)  # (wall, CPU) clocks when the side budget was last fed
        self._side_cpu = 0.0  # CPU spent in throttled views' slices since then
        self._slice = QTimer(self)
        self._slice.setSingleShot(True)
        self._slice.setInterval(0)
        self._slice.timeout.connect(self._next_slice)
        self._catch_up = QTimer(self)
        self._catch_up.setSingleShot(True)
        self._catch_up.timeout.connect(self._begin_catch_up)
        self._posted = self._delivered = 0  # low-priority hops posted and delivered (in order)
        self._awaited: int | None = None  # the hop whose delivery goes on with the frame
        self._hops_left = 0
        self._slice_started: tuple[View, float] | None = None  # the view of the slice in progress, its start's CPU
        self.view_cost: dict[str, float] = {}
        """Each throttled view's smoothed CPU seconds per redraw (all its slices, their painting included)."""
        self._throttled_cpu = 0.0  # the frame's CPU spent in throttled views' slices (not the frames' budget's)
        self._steps: Iterator[object] | None = None  # the further steps of the view being drawn
        self._steps_view: View | None = None
        self._view_cpu = 0.0  # CPU of the slices of the throttled view being drawn, so far

    # -- what the window and the controller call ----------------------------------------------------
    @Slot(object)
    def offer(self, snapshot: Snapshot) -> None:
        """A snapshot from the worker: taken now; drawn in slices while training, whole and at once otherwise."""
        if not self.training:
            self.draw_now(snapshot)
            return
        taken = self.cpu_clock()
        self._accept(snapshot)
        if not self.in_frame:
            self._begin_frame(taken)  # taking the snapshot (its history rows) is the frame's work too

    def draw_now(self, snapshot: Snapshot) -> None:
        """Take ``snapshot`` and draw every view now (a frame in progress ends with it): synchronous."""
        self._accept(snapshot)
        if not self.in_frame:
            self.in_frame, self._slices_since = True, self.cpu_clock()
        self.flush()

    def set_training(self, training: bool) -> None:
        """The worker's state: running or not. Halting draws what is owed at once (`flush`)."""
        if training == self.training:
            return
        self.training = training
        if training:
            self._last_end, self._frame_cpu = self.clock(), 0.0  # the time halted is no frame's
            self._since, self._side_cpu = (self._last_end, self.cpu_clock()), 0.0
        else:
            self.flush()

    def flush(self) -> None:
        """Draw every view that has not drawn the latest snapshot, now, throttled or not; end the frame."""
        self._slice.stop()
        self._catch_up.stop()
        self._awaited, self._slice_started, self._view_cpu = None, None, 0.0  # a hop on its way goes on with nothing
        try:
            self._finish_steps()
            if self.latest is not None:
                for view in self.views:
                    if view.name in self.dirty:
                        self._draw(view)
                        self._finish_steps()
        finally:  # a view that raised does not leave the frame open (no snapshot would come again)
            if self.in_frame or self._unsignalled:
                self._end_frame()

    # -- the slices ---------------------------------------------------------------------------------
    def _accept(self, snapshot: Snapshot) -> None:
        self.take(snapshot)
        self.latest = snapshot
        self.dirty = {view.name for view in self.views}
        self._unsignalled = True

    def _due(self, view: View) -> bool:
        if not (view.throttled and self.training):
            return True
        drawn = self._drawn_at.get(view.name)
        return drawn is None or self.clock() - drawn >= self.throttled_period

    @property
    def period(self) -> float:
        """Seconds between two redraws of a throttled view while training, whatever they cost."""
        return max(self.throttle, THROTTLE_FRAMES * self.budget.interval)

    @property
    def throttled_period(self) -> float:
        """Seconds between two redraws of the throttled views: `period`, or longer when their costs together (each
        view's last known) exceed the share of the UI thread their `SideBudget` allows."""
        return max(self.period, self.side_budget.period(sum(self.view_cost.values())))

    def _draw(self, view: View) -> None:
        """Draw ``view``'s first step (its whole draw, if it has no steps)."""
        self.dirty.discard(view.name)
        self._drawn_at[view.name] = self.clock()
        steps = view.draw(self.latest)
        if steps is not None:
            self._steps, self._steps_view = iter(steps), view
            self._step()

    def _step(self) -> None:
        """Run the next step of the view being drawn; after its last, none is pending (also when one raised)."""
        steps = self._steps
        if steps is None:
            return
        try:
            next(steps)
        except StopIteration:
            self._steps = self._steps_view = None
        except BaseException:  # a step that raised: the view is drawn, as far as it goes
            self._steps = self._steps_view = None
            raise

    def _finish_steps(self) -> None:
        """Run every step left of the view being drawn, now."""
        while self._steps is not None:
            self._step()

    @Slot()
    def _next_slice(self) -> None:
        """Run the next step of the view being drawn, or draw the first view (in order) owing the latest snapshot and
        due; none left: end the frame. The next slice's timer starts after the drawing, so a 0 ms timer the drawing
        started runs before it."""
        if self._steps is not None:
            view = self._steps_view
            draw = self._step
        else:
            view = next((v for v in self.views if v.name in self.dirty and self._due(v)), None)
            draw = lambda: self._draw(view)  # noqa: E731
        if view is None:
            self._end_frame()
            return
        self._slice_started = (view, self.cpu_clock())
        try:
            draw()
        finally:  # a view that raised (reported by Qt) does not stop the frame: the others draw, the worker sends on
            self._hops_left = PAINT_HOPS  # the next view, or the frame's end, once this slice is painted
            self._post_hop()

    def _post_hop(self) -> None:
        self._posted += 1
        self._awaited = self._posted
        QCoreApplication.postEvent(self, QEvent(_SLICE_PAINTED), _LOW_PRIORITY)

    def event(self, event: QEvent) -> bool:
        """A slice's hop (see `PAINT_HOPS`): after the last, the next slice's 0 ms timer starts."""
        if event.type() != _SLICE_PAINTED:
            return super().event(event)
        self._delivered += 1
        if self._delivered == self._awaited and self.in_frame:
            self._hops_left -= 1
            if self._hops_left > 0:
                self._post_hop()
            else:
                self._awaited = None
                self._slice_painted()
                self._slice.start()
        return True

    def _slice_painted(self) -> None:
        """A throttled view's slice is over (painted): its CPU goes to the side views' budget, not the frames'; after
        its last step, the sum of its slices is its cost."""
        started, self._slice_started = self._slice_started, None
        if started is None or not started[0].throttled:
            return
        view, cpu = started
        cost = max(0.0, self.cpu_clock() - cpu)
        self._throttled_cpu += cost
        self._side_cpu += cost
        self._view_cpu += cost
        if self._steps is not None:  # more steps to come
            return
        cost, self._view_cpu = self._view_cpu, 0.0
        last = self.view_cost.get(view.name)
        self.view_cost[view.name] = cost if last is None else (last + cost) / 2

    def _end_frame(self) -> None:
        """After a frame's last slice: ``frameDrawn`` and the budget fed, if the frame drew a new snapshot (a
        catch-up frame only finishes what one skipped: its CPU counts in the next frame's)."""
        cpu = self.cpu_clock()
        if self.in_frame:
            self._frame_cpu += cpu - self._slices_since
        self.in_frame = False
        now = self.clock()
        if self.training:
            self._feed_side_budget(now, cpu)
            self._start_catch_up(now)
        if not self._unsignalled:
            return
        self._unsignalled = False
        if self.training:
            self.budget.frame(max(0.0, self._frame_cpu - self._throttled_cpu), now - self._last_end)
            self.intervalChanged.emit(self.budget.interval)
        self._last_end, self._frame_cpu, self._throttled_cpu = now, 0.0, 0.0
        self.frameDrawn.emit()

    def _feed_side_budget(self, now: float, cpu: float) -> None:
        """The UI thread's CPU outside the throttled views' slices since the last feed, over the wall seconds since."""
        wall, since_cpu = self._since
        self.side_budget.record(cpu - since_cpu - self._side_cpu, now - wall)
        self._since, self._side_cpu = (now, cpu), 0.0

    def _start_catch_up(self, now: float) -> None:
        """Throttled views skipped: drawn by the next frame, or by a catch-up frame when they are due, if none came."""
        owed = [
            self._drawn_at.get(v.name, now) + self.throttled_period - now for v in self.views if v.name in self.dirty
        ]
        if owed:
            self._catch_up.start(max(0, round(1000 * min(owed))))

    @Slot()
    def _begin_catch_up(self) -> None:
        if not self.in_frame and self.dirty and self.latest is not None:
            self._begin_frame()

    def _begin_frame(self, cpu: float | None = None) -> None:
        """The first slice, at once: the queued call (or timer) running this is an event of its own already. ``cpu``:
        the CPU clock where the frame's work began (None: now)."""
        self.in_frame = True
        self._catch_up.stop()
        self._slices_since = self.cpu_clock() if cpu is None else cpu
        self._next_slice()
