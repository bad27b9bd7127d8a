"""The `capplan` command line. Each command group lives in its own module (see `main.py`)."""
