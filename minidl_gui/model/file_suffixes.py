"""The suffixes of the playground's own files: one source for the file dialogs and the file formats.

A module of constants alone, so that the views may import it without importing the formats (which
know the trainer).
"""

SESSION_SUFFIX = ".minidl"
"""A saved session (`minidl_gui.model.session_file`)."""
