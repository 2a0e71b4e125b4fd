"""Qt views: control panels, toolbar, status bar, main window. They show state and emit requests;
they never train (an import-linter contract keeps minidl.training and minidl.optim out)."""
