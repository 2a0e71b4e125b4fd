"""minidl_gui: the playground desktop app."""
