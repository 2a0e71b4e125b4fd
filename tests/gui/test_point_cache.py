"""The decision plot's cached train and test points (``DeviceCoordinateCache``): the plot looks as one that
paints them afresh every time, within 2/255 per channel on their translucent pixels (antialiased edges,
overlaps) — rendered afresh (``grab``) and as painted on screen after each redraw (the window's backing
store, updated piecewise), after new points and after the data area moves by a fraction of a pixel."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QGraphicsItem, QWidget

from minidl_gui.model.session import Session
from minidl_gui.model.snapshot import Snapshot
from minidl_gui.plots.decision_plot import DecisionPlot
from tests.gui.conftest import SMALL

TOLERANCE = 2
"""Largest difference per channel (of 255): translucent pixels of the points composited onto transparency first."""
SIZE = (420, 380)


def pixels(image: QImage) -> np.ndarray:
    """``image`` as an (h, w, 4) uint8 array (32-bit RGB)."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : 4 * image.width()].reshape(image.height(), image.width(), 4).copy()


def images(widget: QWidget) -> tuple[np.ndarray, np.ndarray]:
    """The widget drawn afresh, and what the screen shows of it (its backing store, painted piecewise)."""
    return pixels(widget.grab().toImage()), pixels(widget.screen().grabWindow(widget.winId()).toImage())


def snapshots_of(config, count: int, epochs_between: int = 5) -> list[Snapshot]:
    session = Session(config)
    epochs = session.epochs()
    taken = []
    for _ in range(count):
        for _ in range(epochs_between):
            next(epochs)
        taken.append(session.snapshot())
    epochs.close()
    return taken


@pytest.fixture(scope="module")
def snapshots() -> list[Snapshot]:
    """Three snapshots of a short run, then one of other points (another seed, a newer data version)."""
    run = snapshots_of(SMALL, 3)
    other = snapshots_of(replace(SMALL, data=replace(SMALL.data, seed=SMALL.data.seed + 1)), 1)[0]
    return [*run, replace(other, data_version=run[-1].data_version + 1)]


def draw(qtbot, snapshots: list[Snapshot], sizes: list[tuple[int, int]], *, cached: bool) -> list:
    """A decision plot (with its points cached or not), shown and fed each snapshot at each size in turn: its
    images after each."""
    plot = DecisionPlot()
    qtbot.addWidget(plot)
    if not cached:
        for item in (plot.train_points, plot.test_points):
            assert item.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache
            item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    plot.resize(*SIZE)
    plot.show()
    qtbot.waitExposed(plot)
    drawn = []
    for snapshot, size in zip(snapshots, sizes, strict=True):
        plot.resize(*size)
        plot.show_snapshot(snapshot)
        QApplication.processEvents()
        drawn.append(images(plot))
    plot.close()
    return drawn


def assert_alike(cached: list, plain: list) -> None:
    for cached_images, plain_images in zip(cached, plain, strict=True):
        for cached_image, plain_image in zip(cached_images, plain_images, strict=True):
            assert len(np.unique(plain_image.reshape(-1, 4), axis=0)) > 10  # something was drawn
            assert np.abs(cached_image.astype(int) - plain_image.astype(int)).max() <= TOLERANCE


def test_cached_points_look_as_points_painted_each_time(qtbot, snapshots):
    sizes = [SIZE] * len(snapshots)
    cached, plain = draw(qtbot, snapshots, sizes, cached=True), draw(qtbot, snapshots, sizes, cached=False)
    assert np.abs(plain[-2][0].astype(int) - plain[-1][0].astype(int)).max() > 100  # the points moved
    assert_alike(cached, plain)


def test_cached_points_follow_the_data_area_by_fractions_of_a_pixel(qtbot, snapshots):
    """One pixel wider or taller centres the square data area half a pixel further: the cached points follow."""
    width, height = SIZE
    run = snapshots[:3] * 2
    sizes = [(width, height), (width + 1, height), (width + 1, height + 1), (width + 2, height + 1)] + [SIZE] * 2
    assert_alike(draw(qtbot, run, sizes, cached=True), draw(qtbot, run, sizes, cached=False))
