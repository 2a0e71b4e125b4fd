"""`BackgroundLoads`: a window's file reads, run off the UI thread one at a time, with a progress dialog.

A load is a plain function (pure model code: it reads and checks a file, it touches no widget) run on
a daemon helper thread. Its result or its exception comes back to the UI thread, where the caller's
``done`` or ``fail`` is called. The window stays responsive meanwhile; if the load takes longer than
`SHOW_AFTER_MS` a modal, busy progress dialog says what is being read and offers Cancel.

While a load is in flight a second one is refused (with a status message): its outcome would race
the first's. Cancel (or closing the window) forgets the load: the helper thread is detached, reads
on to its end (reads are bounded) and its result is dropped; it never touches a deleted object,
because it reports under the same lock that cancelling takes.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

SHOW_AFTER_MS = 300
"""A load that ends sooner shows no dialog at all."""

Errors = tuple[type[BaseException], ...]


@dataclass(eq=False)
class _Load:
    """One load, shared by the UI thread and its helper thread (``lock`` guards ``cancelled``)."""

    what: str
    done: Callable[[Any], None]
    fail: Callable[[BaseException], None]
    errors: Errors
    lock: threading.Lock = field(default_factory=threading.Lock)
    cancelled: bool = False


class UnexpectedLoadError(RuntimeError):
    """A load raised an exception its caller did not expect (a bug); the message names it."""


class _Relay(QObject):
    """Carries a finished load from its helper thread into the UI thread."""

    ended = Signal(object, object, object)  # load, result, exception (None: it succeeded)


class BackgroundLoads(QObject):
    """The loads of ``window`` (one at a time). ``notice(text)`` says what happened to a refused or
    cancelled load; ``finished()`` follows every load that started, once its outcome was handled."""

    notice = Signal(str)
    finished = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self._load: _Load | None = None
        self._dialog: QProgressDialog | None = None
        self.thread: threading.Thread | None = None
        """The latest load's helper thread (it may still run after a cancel)."""
        self._relay = _Relay(self)
        self._relay.ended.connect(self._ended, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        """A load is in flight."""
        return self._load is not None

    def start(
        self,
        what: str,
        job: Callable[[], Any],
        done: Callable[[Any], None],
        fail: Callable[[BaseException], None],
        errors: Errors,
    ) -> bool:
        """Run ``job()`` on a helper thread; then ``done(result)``, or ``fail(error)`` when it raised one of
        ``errors`` (any other, a bug, as an `UnexpectedLoadError`). ``what`` ("Opening run.minidl")
        labels the progress dialog. False, and nothing started, while another load is in flight."""
        if self._load is not None:
            self.notice.emit(f"{self._load.what} is still in progress: wait for it or cancel it first.")
            return False
        load = self._load = _Load(what, done, fail, errors)
        self._dialog = self._progress_dialog(load)
        self.thread = threading.Thread(target=self._run, args=(load, job), name="minidl-load", daemon=True)
        self.thread.start()
        return True

    def cancel(self) -> None:
        """Forget the load in flight (if any): its result will be dropped."""
        load = self._load
        if load is None:
            return
        with load.lock:
            load.cancelled = True
        self._close()
        self.notice.emit(f"{load.what} cancelled: nothing changed.")
        self.finished.emit()

    # -- the helper thread --------------------------------------------------------------------------
    def _run(self, load: _Load, job: Callable[[], Any]) -> None:
        result, error = None, None
        try:
            result = job()
        except BaseException as raised:  # noqa: BLE001 (handed to the UI thread, which decides)
            error = raised
        with load.lock:
            if not load.cancelled:  # cancelled: the relay may be gone with its window
                self._relay.ended.emit(load, result, error)

    # -- the UI thread ------------------------------------------------------------------------------
    @Slot(object, object, object)
    def _ended(self, load: _Load, result: Any, error: BaseException | None) -> None:
        if load is not self._load or load.cancelled:
            return
        self._close()
        try:
            if error is None:
                load.done(result)
            elif isinstance(error, load.errors):
                load.fail(error)
            else:  # a bug: raised here it would only be printed, and the load would end without a word
                traceback.print_exception(error)
                load.fail(
                    UnexpectedLoadError(
                        f"unexpected {type(error).__name__}: {error} (a bug in minidl: please report it)"
                    )
                )
        finally:
            self.finished.emit()

    def _progress_dialog(self, load: _Load) -> QProgressDialog:
        dialog = QProgressDialog(f"{load.what}…", "Cancel", 0, 0, self.window)  # 0, 0: busy, no percentage
        dialog.setObjectName("loadProgressDialog")
        dialog.setWindowTitle("minidl playground")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(SHOW_AFTER_MS)
        dialog.setValue(0)  # starts the timer that shows it after SHOW_AFTER_MS
        for cancelled in (dialog.canceled, dialog.rejected):  # the Cancel button; Escape
            cancelled.connect(lambda: load is self._load and self.cancel())
        return dialog

    def _close(self) -> None:
        """The load is over (ended or cancelled): no dialog, nothing in flight."""
        self._load = None
        dialog, self._dialog = self._dialog, None
        if dialog is not None:
            dialog.close()  # emits canceled: ignored, no load is current any more
            dialog.deleteLater()
