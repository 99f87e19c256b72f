"""``lgrad analyze``: the paper's network trained on a reader's CSV file, its learning gradient drawn and ranked.

:func:`analyze` reads and checks the file (every defect is a :class:`DataError`, one line naming the column, row or
value, raised before anything is written), trains once with the book's settings, and writes one folder: the paper's
Fig. 5 in two parts and the heatmap of every epoch (:mod:`lgrad.figures.plots`), the ranking table, each with its
sidecar of numbers and provenance (:mod:`lgrad.figures.provenance`), ``analysis.json`` (the file's sha256, the
settings, the result, every file's sha256, the lgrad version and commit) and ``summary.md`` (the result in sentences
and the command that repeats it). The folder appears only complete (:func:`lgrad.atomic.atomic_path`): a failure or
an interrupt leaves nothing behind. The chapter *Your own data* calls the same function on the shipped table.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import torch

from ..atomic import atomic_path, atomic_write
from ..data import BUNDLED, ClassCountError, Dataset
from ..defaults import DEFAULTS
from ..figures import plots
from ..figures.provenance import FigureRecord, collect_provenance, save_figure, save_table
from ..history import History
from ..study.own_data.command import METHOD_KEYS, changed_settings, command_line, method_settings
from ..study.own_data.ranking import final_ranking
from ..study.own_data.text import result_paragraph, table_sentence
from ..study.run_text import learned_nothing
from ..study.runs import run, run_dataset

DEFAULT_ROOT = "lgrad-analysis"
"""Where :func:`analyze` writes when no folder is given: ``lgrad-analysis/<file>-<target>-<settings>/``."""
MARKER = "lgrad.analysis/1"
"""The ``format`` of ``analysis.json``; an existing folder is replaced only if it holds one (an earlier analysis)."""
TOP_K = 5


class DataError(ValueError):
    """The file or the arguments cannot be analysed; the message is one line naming the column, row or value."""


@dataclass(frozen=True, eq=False)
class Analysis:
    """What :func:`analyze` computed and wrote.

    ``records`` maps ``"learning-gradient"``, ``"learning-gradient-late"``, ``"relevance-heatmap"`` and ``"ranking"``
    to what :func:`~lgrad.figures.provenance.save_figure` / ``save_table`` wrote (paths in ``folder``); ``status`` is
    the sentence saying that the run learned nothing, or ``None``; ``ranking`` is the table as written.
    """

    folder: Path
    csv: str
    sha256: str
    target: str
    positive: Any
    settings: dict[str, Any]
    dataset: Dataset
    history: History
    status: str | None
    ranking: pd.DataFrame
    command: str
    summary: str
    records: dict[str, FigureRecord] = field(repr=False)


def analyze(
    csv: str | os.PathLike,
    target: str,
    *,
    positive: str | None = None,
    params: Mapping[str, Any] | None = None,
    out: str | os.PathLike | None = None,
    prefix: str = "",
    shown_as: str | None = None,
) -> Analysis:
    """Train the paper's network on ``csv`` and write its learning-gradient figures, ranking and provenance.

    Args:
        csv: a CSV file with numeric input columns and a target column of two labels.
        target: the name of the target column.
        positive: the label that is class 1 (default: the later of the two, numbers numerically, text as it sorts).
        params: the method's settings (:data:`lgrad.study.own_data.METHOD_KEYS`: seed, epochs, hidden, activation,
            loss, lr, batch_size, test_size, scale), default :data:`lgrad.DEFAULTS`; other keys (a book's study
            sizes) are not used, and ``dataset``/``target``/``positive`` must be left at their defaults: the data are
            ``csv``.
        out: the folder to write; default ``lgrad-analysis/<file>-<target>-<settings>/`` in the working directory.
            An existing folder is replaced only if it holds an earlier analysis.
        prefix: put into the figure and table ids (``fig-<prefix>learning-gradient``), e.g. to keep a book's ids
            unique.
        shown_as: how the command that repeats the analysis names the file (default: ``csv`` as given), e.g. a
            path relative to the repository rather than to a build folder.

    Returns:
        An :class:`Analysis`; ``analysis.folder`` is where everything was written.

    Raises:
        DataError: a missing or unreadable file, no such target column, a non-numeric, empty or NaN cell (with its
            column and row), a constant column, one class or more than two, a bad ``positive``, data parameters.
    """
    settings = _settings(params or {})
    data = str(csv) if str(csv) not in BUNDLED else os.path.join(".", str(csv))
    run_settings = {**settings, "dataset": data, "target": target, "positive": positive}
    _load(run_settings)  # every data error before anything is written
    folder = Path(out) if out is not None else default_folder(csv, target, positive, settings)
    _check_replaceable(folder)
    sha = hashlib.sha256(Path(data).read_bytes()).hexdigest()
    with _one_thread():
        ds, history = run(run_settings)
        status = learned_nothing(history, ds.class_names)
        ranking = ranking_table(history, status)
        command = command_line(shown_as or str(csv), target, positive, settings)
        summary = _summary(Path(data).name, ds, target, history, status, command)
        recorded = {**settings, "data": Path(data).name, "data_sha256": sha, "target": target, "positive": positive}
        created = not folder.parent.exists()
        try:
            with atomic_path(folder) as tmp:
                tmp.mkdir()
                records = _write(tmp, history, ranking, recorded, prefix)
                atomic_write(tmp / "summary.md", summary)
                files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(tmp.iterdir())}
                doc = _provenance(recorded, ds, history, status, command, files)
                atomic_write(tmp / "analysis.json", json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
        except BaseException:
            if created and folder.parent.is_dir() and not any(folder.parent.iterdir()):
                folder.parent.rmdir()
            raise
    folder = folder.resolve()
    moved = {
        key: replace(rec, files={ext: folder / p.name for ext, p in rec.files.items()}) for key, rec in records.items()
    }
    return Analysis(
        folder=folder, csv=str(csv), sha256=sha, target=target, positive=positive, settings=settings,
        dataset=ds, history=history, status=status, ranking=ranking, command=command, summary=summary, records=moved,
    )  # fmt: skip


def ranking_table(history: History, status: str | None) -> pd.DataFrame:
    """Every input variable ranked after the last epoch, with its share and the cumulative share (%), two decimals;
    for a run that learned nothing, one row that says so."""
    if status is not None:
        return pd.DataFrame(
            [{"rank": "—", "variable": "— (learned nothing)", "share (%)": None, "cumulative (%)": None}]
        )
    ranking = final_ranking(history)
    return pd.DataFrame(
        {
            "rank": ranking["rank"],
            "variable": ranking["variable"],
            "share (%)": (100 * ranking["share"]).round(2),
            "cumulative (%)": (100 * ranking["cumulative"]).round(2),
        }
    )


def default_folder(csv: str | os.PathLike, target: str, positive: Any, settings: Mapping[str, Any]) -> Path:
    """``lgrad-analysis/<file stem>-<target>[-positive-<label>]-<settings>``, the settings as the changed values
    (``seed-7_epochs-60``) or ``default``."""
    changed = changed_settings(settings)
    name = "_".join(f"{key.replace('_', '-')}-{_slug(value)}" for key, value in changed.items()) or "default"
    parts = [Path(csv).stem, target, *([f"positive-{positive}"] if positive is not None else []), name]
    return Path(DEFAULT_ROOT) / "-".join(_slug(part) for part in parts)


def _slug(value: Any) -> str:
    text = "-".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
    return re.sub(r"[^A-Za-z0-9_.+-]+", "-", text).strip("-.") or "x"


def _settings(params: Mapping[str, Any]) -> dict[str, Any]:
    data = [key for key in ("dataset", "target", "positive") if params.get(key, DEFAULTS.get(key)) != DEFAULTS.get(key)]
    if data:
        raise DataError(
            f"analyze takes its data from DATA.csv --target COLUMN [--positive LABEL], not from the parameter(s) "
            f"{', '.join(data)}"
        )
    return {**{key: DEFAULTS[key] for key in METHOD_KEYS}, **method_settings(params)}


def _load(settings: Mapping[str, Any]) -> Dataset:
    """The data set, or a :class:`DataError` whose one line names the column, row or value."""
    if not Path(settings["dataset"]).is_file():
        what = "is a folder, not a CSV file" if Path(settings["dataset"]).is_dir() else "does not exist"
        raise DataError(f"dataset file {settings['dataset']!r} {what}")
    try:
        return run_dataset(settings)
    except ClassCountError as err:
        message = str(err)
        if len(err.labels) > 2:
            message += (
                "; the paper's network is binary (one output): keep two of the labels, or for several classes record "
                "the learning gradient of a multi-class model with lgrad.LearningGradient(batches, by_class=targets, "
                f'n_classes={len(err.labels)}) and the cross-entropy cost (loss="ce"), as lgrad.train_cnn does'
            )
        raise DataError(message) from None
    except (TypeError, ValueError) as err:
        raise DataError(" ".join(str(err).split())) from None


def _check_replaceable(folder: Path) -> None:
    if folder.is_dir() and any(folder.iterdir()):
        marker = folder / "analysis.json"
        try:
            ours = json.loads(marker.read_text()).get("format") == MARKER
        except (OSError, ValueError, AttributeError):
            ours = False
        if not ours:
            raise DataError(f"the folder {str(folder)!r} exists and holds no earlier analysis: choose another --out")
    elif folder.exists() and not folder.is_dir():
        raise DataError(f"{str(folder)!r} is a file, not a folder: choose another --out")


@contextmanager
def _one_thread() -> Iterator[None]:
    """Train and draw on one thread, as the book does, so the same seed gives the same bytes on any machine."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def _write(
    folder: Path, history: History, ranking: pd.DataFrame, params: Mapping[str, Any], prefix: str
) -> dict[str, FigureRecord]:
    top_k = min(TOP_K, len(history.feature_names))
    early, late = plots.figure5_parts(history.epochs)
    figures = {
        "learning-gradient": plots.learning_gradient_bars(history, epochs=early, top_k=top_k),
        "learning-gradient-late": plots.learning_gradient_bars(history, epochs=late, top_k=top_k),
        "relevance-heatmap": plots.relevance_heatmap(history, top_k=top_k),
    }
    records = {
        key: save_figure(fig, f"fig-{prefix}{key}", params=params, out_dir=folder) for key, fig in figures.items()
    }
    records["ranking"] = save_table(ranking, f"tbl-{prefix}ranking", params=params, out_dir=folder)
    return records


def _summary(name: str, ds: Dataset, target: str, history: History, status: str | None, command: str) -> str:
    lines = [
        f"# lgrad analysis of {name}",
        "",
        table_sentence(ds, name, target),
        "",
        result_paragraph(history, ds.class_names, status),
        "",
        f"Repeat it with `{command}`.",
    ]
    return "\n".join(lines) + "\n"


def _provenance(
    params: Mapping[str, Any], ds: Dataset, history: History, status: str | None, command: str, files: Mapping
) -> dict[str, Any]:
    labels = ds.raw["target"].to_numpy()
    top = [] if status is not None else final_ranking(history)["variable"].tolist()[:TOP_K]
    return {
        "format": MARKER,
        "command": command,
        "data": {
            "file": params["data"],
            "sha256": params["data_sha256"],
            "rows": len(ds.raw),
            "variables": list(ds.feature_names),
            "target": params["target"],
            "positive": params["positive"],
            "classes": {name: int((labels == i).sum()) for i, name in enumerate(ds.class_names)},
            "train_rows": len(ds.y_train),
            "test_rows": len(ds.y_test),
        },
        "result": {
            "epochs": history.epochs,
            "test_accuracy": float(history.test_accuracy[-1]),
            "train_accuracy": float(history.train_accuracy[-1]),
            "learned_nothing": status,
            "top": top,
        },
        "files": dict(files),
        **collect_provenance(params),
    }
