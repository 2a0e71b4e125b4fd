"""pyqtgraph views of a run: the decision plot and the training curves. Items are created once and
fed with ``setData`` / ``setImage`` on every snapshot."""
