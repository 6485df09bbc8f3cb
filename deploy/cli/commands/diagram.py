"""`diagram --stack S [--config-file F] [--format mermaid|dot] [--output PNG|SVG | --no-png]`: architecture picture.

Mermaid text goes to stdout (code hosts render it in Markdown), or DOT with `--format dot`.
With Graphviz's `dot` on PATH an image is written as well: to `--output` (SVG when it ends
in `.svg`, PNG for `.png` or no suffix), or `<stack>-diagram.png` in the current directory;
the path is reported on stderr so stdout stays pure text. `--output` without Graphviz fails
(exit 1) with how to install it; without `--output` the image is skipped quietly.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from ...errors import ArgumentError, Failure
from ..app import EXIT_OK, load_config, stack_arguments

INSTALL_GRAPHVIZ = "install Graphviz (apt-get install graphviz, brew install graphviz) or drop --output"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("diagram", help="architecture diagram of the stack: Mermaid, and a PNG or SVG with Graphviz")
    stack_arguments(p)
    p.add_argument("--format", choices=("mermaid", "dot"), default="mermaid", help="text printed on stdout")
    p.add_argument("--output", "-o", type=Path,
                   help="write the image here: SVG for .svg, PNG for .png (needs Graphviz `dot`)")
    p.add_argument("--no-png", "--no-image", dest="no_png", action="store_true",
                   help="print the text only, even when Graphviz is installed")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ...offline import diagram, plan

    if args.output is not None and args.no_png:
        raise ArgumentError("--output: cannot be combined with --no-png")
    fmt = diagram.image_format(args.output) if args.output is not None else "png"
    if fmt is None:
        raise ArgumentError(f"--output: must end in {' or '.join('.' + f for f in diagram.IMAGE_FORMATS)} "
                            f"(got {args.output})")
    cfg = load_config(args.stack, args.config_file)
    graph = diagram.build(plan.render(cfg))
    print(diagram.mermaid(graph) if args.format == "mermaid" else diagram.dot(graph), end="")
    if args.no_png:
        return EXIT_OK
    target = args.output or Path(f"{cfg.stack}-diagram.png")
    try:
        written = diagram.render_image(diagram.dot(graph), target, fmt)
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        reason = str(detail).strip().splitlines()[0] if str(detail).strip() else str(exc)
        raise Failure(f"Graphviz could not write {target}: {reason}") from exc
    if written is None and args.output is not None:
        raise Failure(f"--output needs Graphviz's `dot` to write {fmt.upper()}, which is not installed: "
                      f"{INSTALL_GRAPHVIZ}")
    if written is not None:
        print(f"wrote {written}", file=sys.stderr)
    return EXIT_OK
