"""The planning engine: pure functions and frozen dataclasses, numbers in and numbers out.

Nothing here reads a file, a socket or a clock. Every formula of the planner (docs/method.md) lives
in exactly one module of this package, with a docstring naming its source (docs/sources.md).
"""
