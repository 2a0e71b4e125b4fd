"""Session files: the format (schema, checks, versions) of a saved training."""
