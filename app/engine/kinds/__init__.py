"""One module per option kind. Importing this package imports every module in it, and each module
registers its kind (app/engine/registry.py), so a new kind is a new module here and nothing else in
the engine. Modules are imported in name order, which is the order kinds are listed in."""

from __future__ import annotations

import importlib
import pkgutil

KIND_MODULES = tuple(sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")))

for _module in KIND_MODULES:
    importlib.import_module(f"{__name__}.{_module}")
