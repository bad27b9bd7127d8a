"""Packaging that pyproject.toml cannot express: the top-level price sheets (`pricing/`) and scenario
library (`scenarios/`) ship inside the wheel as the packages `app.bundled.pricing` and
`app.bundled.scenarios` (read through importlib.resources, app/bundled/__init__.py), while they stay
at the top of the repository. Everything else is in pyproject.toml."""

from setuptools import find_namespace_packages, setup

BUNDLED = {"app.bundled.pricing": "pricing", "app.bundled.scenarios": "scenarios"}

setup(
    packages=[*find_namespace_packages(include=["app", "app.*"]), *BUNDLED],
    package_dir=BUNDLED,
    package_data={
        "": ["*.yaml", "*.json", "*.json.gz", "*.txt", "*.ttf"],
        "app.telemetry": ["demo/*"],  # the embedded demo recording
        "app.ui": ["static/*"],  # the vendored plotly.js bundle, its licence and README
        "app.bundled.pricing": ["*.yaml", "schema/*"],
        "app.bundled.scenarios": ["*.yaml"],
    },
)
