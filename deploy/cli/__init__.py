"""The command line, `python -m deploy <command>`: argparse, printing, exit codes. Nothing imports it."""

from .app import main

__all__ = ["main"]
