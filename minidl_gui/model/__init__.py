"""The app's state in pure Python: configuration, presets, history, snapshots and the training session.

Nothing here imports Qt or pyqtgraph (an import-linter contract checks it), so all of it is testable
without a display and reusable from scripts.
"""
