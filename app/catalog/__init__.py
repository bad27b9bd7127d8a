"""Adapters for the project's data files: YAML price sheets and scenarios, typed and validated."""
