"""The package list, found rather than written out: every engine* package with an __init__.py, plus
engine.configs, which is the checkout's configs/ (pyproject.toml's package-dir maps it; a find cannot see a
mapped folder, so it is named here)."""
from setuptools import find_packages, setup

setup(packages=find_packages(include=["engine", "engine.*"]) + ["engine.configs"])
