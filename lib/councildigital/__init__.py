"""councildigital: UK local government's digital ambitions versus reality, as reproducible reports."""

__version__ = "0.1.0"
