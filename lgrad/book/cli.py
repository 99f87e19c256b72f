"""The ``lgrad`` command (``lgrad --help``: book, run, analyze, params, chapters, publish). Exit status: 0 done, 1 a
chapter or Jupyter Book failed, 2 a bad command line or parameter (one line, no traceback), 130 interrupted."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

USAGE_ERROR = 2


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (no usage block), exit status 2."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message} (see {self.prog.split()[0]} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = _Parser(
        prog="lgrad",
        description="Build and re-execute the lgrad book (the learning gradient of arXiv:2012.03188, reproduced).",
        epilog="Run `lgrad COMMAND --help` for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"lgrad {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    book = commands.add_parser("book", help="execute the chapters that changed and build the HTML book")
    book.add_argument("--force", action="store_true", help="rebuild the HTML even if nothing changed")
    run = commands.add_parser("run", help="execute one chapter into _build/runs/<chapter>-<params-name>.ipynb")
    run.add_argument("chapter", help="a chapter name (see `lgrad chapters`)")
    publish = commands.add_parser("publish", help="write the default outputs into book/*.ipynb (no volatile data)")
    for command in (book, publish):
        command.add_argument("-j", "--jobs", type=int, default=2, help="chapters executed at once (default 2)")
    analyze = commands.add_parser("analyze", help="train the paper's network on your CSV; write figures, ranking")
    analyze.add_argument("data", metavar="DATA.csv", help="numeric input columns and a target column of two labels")
    analyze.add_argument("--target", required=True, metavar="COLUMN", help="the target column")
    analyze.add_argument("--positive", metavar="LABEL", help="the label that is class 1 (default: the later one)")
    analyze.add_argument("--out", metavar="FOLDER", help="default lgrad-analysis/<file>-<target>-<parameters>/")
    for command in (book, run, analyze):
        group = command.add_argument_group("chapter parameters (see `lgrad params`)")
        group.add_argument("--seed", metavar="N", help="the seed (shorthand for -p seed N)")
        group.add_argument(
            "-p", "--param", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
            help="set a parameter, e.g. -p epochs 60 -p hidden 8,4 (repeatable)",
        )  # fmt: skip
        group.add_argument("--params", metavar='"K=V ..."', default="", help='several at once: "seed=7 epochs=60"')
    commands.add_parser("params", help="list the parameters, their defaults and what they mean")
    commands.add_parser("chapters", help="list the chapters that can be run")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0

    from . import build, params

    project = build.Project.find()
    try:
        if args.command in ("params", "chapters"):
            lines = ["parameters (name, default, meaning):", *params.help_lines()]
            print("\n".join(lines if args.command == "params" else project.chapters()))
            return 0
        if getattr(args, "jobs", 1) < 1:
            raise params.ParameterError(f"--jobs must be an integer >= 1, got {args.jobs}")
        if args.command == "publish":
            changed = build.publish(project, jobs=args.jobs)
            print(f"published {len(changed)} changed notebook(s)" if changed else "published: no notebook changed")
            return 0
        seed = [("seed", args.seed)] if args.seed is not None else []
        values = params.resolve([*params.parse_assignments(args.params), *seed, *args.param])
        if args.command == "analyze":
            from ..analyze import DataError, analyze  # torch, for this command only

            try:
                print(analyze(args.data, args.target, positive=args.positive, params=values, out=args.out).folder)
            except DataError as err:
                raise params.ParameterError(str(err)) from None
        elif args.command == "run":
            print(build.run_chapter(project, args.chapter, values))
        else:
            print(build.build_book(project, values, jobs=args.jobs, force=args.force))
        return 0
    except params.ParameterError as err:
        print(f"lgrad: error: {err}", file=sys.stderr)
        return USAGE_ERROR
    except build.BuildError as err:
        print(f"lgrad: {err}" + (f"\nlgrad: {err.detail}" if getattr(err, "detail", "") else ""), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("lgrad: interrupted; nothing unfinished was kept", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
