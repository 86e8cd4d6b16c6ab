"""Data Assistant: ask SQL databases and document containers questions in plain language."""

__version__ = "0.1.0"
