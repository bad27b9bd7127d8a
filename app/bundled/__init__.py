"""The price sheets and the scenario library as shipped inside the wheel.

In the repository they live at the top, in `pricing/` and `scenarios/`, where users and the
people who edit them expect them; setup.py maps them into the wheel as the packages
`app.bundled.pricing` and `app.bundled.scenarios`. `bundled_folder` finds them in an installed
capplan through importlib.resources, and in a checkout at the repository's top.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]
FOLDERS = ("pricing", "scenarios")


def bundled_folder(name: str) -> Path:
    """The bundled `pricing` or `scenarios` folder: inside the installed package, else the checkout's."""
    if name not in FOLDERS:
        raise ValueError(f"unknown bundled folder {name!r}; expected one of {', '.join(FOLDERS)}")
    installed = resources.files(__name__) / name
    if isinstance(installed, Path) and installed.is_dir():
        return installed
    return CHECKOUT / name
