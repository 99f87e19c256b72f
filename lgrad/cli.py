"""The ``lgrad`` command: build the book, run one chapter, publish the chapters' outputs.

Examples::

    lgrad book                              # the default book, _build/html/index.html
    lgrad book --seed 7 -p epochs 60        # a separate book in _build/seed-7_epochs-60/
    lgrad run training --seed 7             # one chapter, into _build/runs/training-seed-7.ipynb
    lgrad params                            # every parameter, its default and what it means

Exit status: 0 done, 1 a chapter or Jupyter Book failed, 2 a bad command line or parameter (one line, no
traceback), 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

USAGE_ERROR = 2


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (no usage block), exit status 2."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message} (see {self.prog.split()[0]} --help)\n")


def _add_params(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("chapter parameters (see `lgrad params`)")
    group.add_argument("--seed", metavar="N", help="the seed (shorthand for -p seed N)")
    group.add_argument(
        "-p",
        "--param",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="set a parameter, e.g. -p epochs 60 -p hidden 8,4 (repeatable)",
    )
    group.add_argument("--params", metavar='"K=V ..."', default="", help='several at once: "seed=7 epochs=60"')


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = _Parser(
        prog="lgrad",
        description="Build and re-execute the lgrad book (the learning gradient of arXiv:2012.03188, reproduced).",
        epilog="Run `lgrad COMMAND --help` for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"lgrad {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    book = commands.add_parser(
        "book",
        help="execute every chapter and build the HTML book",
        description="Execute every chapter (cached, in parallel) and build the HTML book: _build/html/ for the "
        "default parameters, _build/<params-name>/html/ otherwise. Prints the path of the index page.",
    )
    _add_params(book)
    book.add_argument("-j", "--jobs", type=int, default=2, help="chapters executed at once (default 2)")
    book.add_argument("--force", action="store_true", help="rebuild the HTML even if nothing changed")

    run = commands.add_parser(
        "run",
        help="execute one chapter into _build/runs/",
        description="Execute one chapter with the given parameters into _build/runs/<chapter>-<params-name>.ipynb "
        "(its figures beside it, in <chapter>-<params-name>_figures/).",
    )
    run.add_argument("chapter", help="a chapter name: method, data, training or reading")
    _add_params(run)

    commands.add_parser("params", help="list the parameters, their defaults and what they mean")
    commands.add_parser("chapters", help="list the chapters that can be run")
    publish = commands.add_parser(
        "publish",
        help="execute the chapters with the defaults and write their outputs into book/*.ipynb",
        description="Execute every chapter with the default parameters and write the outputs back into the "
        "committed notebooks, without volatile metadata (publishing twice without changes leaves no diff).",
    )
    publish.add_argument("-j", "--jobs", type=int, default=2, help="chapters executed at once (default 2)")
    return parser


def _values(args: argparse.Namespace) -> dict:
    from . import params

    pairs = params.parse_assignments(args.params)
    if args.seed is not None:
        pairs.append(("seed", args.seed))
    pairs += [tuple(p) for p in args.param]
    return params.resolve(pairs)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0

    from . import book, params

    project = book.Project.find()
    try:
        if args.command == "params":
            print("\n".join(["parameters (name, default, meaning):", *params.help_lines()]))
            return 0
        if args.command == "chapters":
            print("\n".join(project.chapters()))
            return 0
        if getattr(args, "jobs", 1) < 1:
            raise params.ParameterError(f"--jobs must be an integer >= 1, got {args.jobs}")
        if args.command == "publish":
            changed = book.publish(project, jobs=args.jobs)
            print(f"published {len(changed)} changed notebook(s)" if changed else "published: no notebook changed")
            return 0
        values = _values(args)
        if args.command == "run":
            chapters = project.chapters()
            if args.chapter not in chapters:
                raise params.ParameterError(f"chapter must be one of {', '.join(chapters)}, got {args.chapter!r}")
            path = book.run_chapter(project, args.chapter, values)
        else:
            path = book.build_book(project, values, jobs=args.jobs, force=args.force)
        print(Path(path).resolve())
        return 0
    except params.ParameterError as err:
        print(f"lgrad: error: {err}", file=sys.stderr)
        return USAGE_ERROR
    except book.ChapterError as err:
        print(f"lgrad: {err}", file=sys.stderr)
        if err.detail:
            print(f"lgrad: {err.detail}", file=sys.stderr)
        return 1
    except book.BuildError as err:
        print(f"lgrad: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("lgrad: interrupted; nothing unfinished was kept", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
