"""Config, CLI and Beam graph assembly of zhclean."""

__version__ = "0.1.0"
