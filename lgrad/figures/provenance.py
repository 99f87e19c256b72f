"""Save figures and tables with their numbers and provenance, and show them in the book as citable MyST blocks.

``save_figure`` writes ``<id>.png``, ``<id>.svg``, ``<id>.pdf`` and ``<id>.json`` (the numbers plotted, the
parameters and seed, the lgrad version, the git commit that built it and whether the tree was dirty, torch's thread
count, the versions of the libraries, the sha256 of each image, and the drawn size and smallest text, from which
:func:`shown_text_px` tells how large that text is on the page). The provenance also goes into each image's own
metadata; no file holds a wall-clock time. Identical inputs give byte-identical files, and every file is written
atomically (a temporary file, then ``os.replace``). ``save_animation`` writes an animation as a looping GIF the
same way, and ``show`` puts either in the book.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import platform
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.animation import Animation, PillowWriter
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from PIL import Image

from ..atomic import atomic_write
from ..checks import check_float

FIGURES_DIR_ENV = "LGRAD_FIGURES_DIR"
DEFAULT_FIGURES_DIR = "figures"
IMAGE_FORMATS = ("png", "svg", "pdf")
ANIMATION_FORMAT = "gif"
PNG_DPI = 150
BOOK_CITATION = (
    "Reproduction of Reyes-Ochoa & López-Aguayo (2020), “Representación del aprendizaje reutilizando los gradientes "
    "de la retropropagación” (arXiv:2012.03188), lgrad book, version {version}"
)
"""The book's citation; ``{version}`` is filled with the lgrad version by :func:`book_citation`."""
BOOK_FIGURE_WIDTH_PX = 672
"""The widest the book shows a figure (CSS px): its text column in a 1280 px wide window, less the figure's margin.

A PNG narrower than this is shown at its own size (``PNG_DPI`` pixels per inch); a wider one is scaled down to it.
``tests/browser_check.py`` measures the shown width of every figure and checks it against this number."""
MIN_TEXT_PX = 9.0
"""The smallest text a figure may show at 1280 px (CSS px)."""

_PLOTTED = "_lgrad_plotted_data"
_POSITIONS = "_lgrad_undrawn_positions"
_LIBRARIES = {
    "torch": "torch",
    "numpy": "numpy",
    "scikit-learn": "scikit-learn",
    "matplotlib": "matplotlib",
    "seaborn": "seaborn",
    "pandas": "pandas",
}


@dataclass(frozen=True)
class FigureRecord:
    """What :func:`save_figure` or :func:`save_table` wrote.

    ``files`` maps an extension (``png``, ``svg``, ``pdf``, ``csv``, ``json``) to the absolute path written;
    ``sha256`` maps the extensions of the artifacts (not the JSON) to their hex digest.
    """

    id: str
    kind: str
    files: dict[str, Path]
    sha256: dict[str, str]
    seed: int | None
    provenance: dict[str, Any] = field(repr=False)
    table_markdown: str | None = field(default=None, repr=False)


def book_citation() -> str:
    """The book's citation text with the current lgrad version."""
    return BOOK_CITATION.format(version=lgrad_version())


def attach_data(fig: Figure, data: Mapping[str, Any]) -> Figure:
    """Remember on ``fig`` the numbers it plots, and its axes' undrawn positions, for :func:`save_figure`.

    Call it last, before ``fig`` is drawn: a layout engine moves the axes on every draw, so :func:`save_figure`
    puts them back where they were here, and a figure displayed before it is saved still gives the same bytes.
    """
    setattr(fig, _PLOTTED, dict(data))
    setattr(fig, _POSITIONS, [(ax, ax._originalPosition.frozen(), ax._position.frozen()) for ax in fig.axes])
    return fig


def plotted_data(fig: Figure) -> dict[str, Any]:
    """The numbers an lgrad plotting function attached to ``fig`` (empty if none)."""
    return dict(getattr(fig, _PLOTTED, {}))


def save_figure(
    fig: Figure,
    fig_id: str,
    *,
    params: Mapping[str, Any],
    data: Mapping[str, Any] | None = None,
    out_dir: str | os.PathLike | None = None,
) -> FigureRecord:
    """Write ``fig`` as ``<out_dir>/<fig_id>.{png,svg,pdf,json}`` with its data and provenance.

    Args:
        fig: the figure, e.g. from :func:`lgrad.figures.plots.learning_gradient_bars`.
        fig_id: the figure's label in the book, e.g. ``"fig-correlation"`` (lowercase letters, digits, dashes).
        params: every setting that produced it, including ``seed``.
        data: the numbers plotted; merged over those the lgrad plotting function attached to ``fig``.
        out_dir: target folder; default: env ``LGRAD_FIGURES_DIR``, else ``figures`` (relative to the working dir).

    Returns:
        A :class:`FigureRecord` for :func:`show`.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    fig_id = _check_id("fig_id", fig_id)
    prov = collect_provenance(params)
    data = {**plotted_data(fig), **_check_mapping("data", data if data is not None else {})}
    images, texts = _render_all(fig, fig_id, prov)
    return _write_all(fig_id, "figure", images, data, prov, out_dir, drawn=_drawn(fig, texts))


def save_animation(
    anim: Animation,
    fig_id: str,
    *,
    params: Mapping[str, Any],
    data: Mapping[str, Any] | None = None,
    fps: float = 2.0,
    out_dir: str | os.PathLike | None = None,
) -> FigureRecord:
    """Write ``anim`` as a looping animated GIF, ``<out_dir>/<fig_id>.gif``, with ``<fig_id>.json`` beside it.

    The frames are drawn at the figure's own dpi by matplotlib's ``PillowWriter``, blitting: the figure is drawn once
    without the artists the animation changes, which must be marked ``animated`` and lie where they move no other
    artist (inside an axes, not a title), and each frame draws those alone over it. The provenance goes into the
    GIF's comment and the sidecar, whose ``drawn`` entry also holds the GIF's pixel size, ``frames`` and ``fps``.
    Identical inputs give byte-identical files, written atomically, as :func:`save_figure`'s.

    Args:
        anim: e.g. from :func:`lgrad.figures.minibatch.learning_gradient_animation`.
        fig_id, params, data, out_dir: as for :func:`save_figure`.
        fps: frames per second, > 0.
    """
    if not isinstance(anim, Animation):
        raise TypeError(f"anim must be a matplotlib Animation, got {type(anim).__name__}")
    fig_id = _check_id("fig_id", fig_id)
    fps = check_float("fps", fps, minimum=0, min_inclusive=False)
    prov = collect_provenance(params)
    fig = anim._fig
    data = {**plotted_data(fig), **_check_mapping("data", data if data is not None else {})}
    comment = json.dumps({"id": fig_id, **prov}, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    with tempfile.TemporaryDirectory(prefix="lgrad-gif-") as tmp:
        path = Path(tmp) / f"{fig_id}.{ANIMATION_FORMAT}"
        anim.save(path, writer=_GifWriter(comment, fps=fps), dpi=fig.dpi)
        gif = path.read_bytes()
    with Image.open(io.BytesIO(gif)) as image:
        width, height, frames = image.width, image.height, image.n_frames
    drawn = {**drawn_size(fig), "dpi": fig.dpi, "width_px": width, "height_px": height, "frames": frames, "fps": fps}
    return _write_all(fig_id, "figure", {ANIMATION_FORMAT: gif}, data, prov, out_dir, drawn=drawn)


class _GifWriter(PillowWriter):
    """Matplotlib's ``PillowWriter`` with blitting, writing ``comment`` (the provenance) into the GIF as well.

    The first frame draws the whole figure but its animated artists (``set_animated(True)``: what the animation
    changes) and keeps that background; every frame then draws only the animated artists over it, so a frame costs a
    few artists, not the whole figure's text (matplotlib's blitting, as in its animation guide).
    """

    def __init__(self, comment: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.comment = comment

    def setup(self, fig: Figure, outfile: Any, dpi: float | None = None) -> None:
        super().setup(fig, outfile, dpi=dpi)
        canvas = fig.canvas
        self._canvas = FigureCanvasAgg(fig)
        fig.set_canvas(canvas)  # the animation's own redraw of each frame stays a no-op on the figure's canvas
        self._background = None
        self._animated = [artist for artist in fig.findobj() if artist.get_animated()]

    def grab_frame(self, **savefig_kwargs: Any) -> None:
        canvas = self._canvas
        if self._background is None:  # hidden, not only skipped: a figure being saved draws its animated artists
            shown = [artist.get_visible() for artist in self._animated]
            for artist in self._animated:
                artist.set_visible(False)
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            for artist, visible in zip(self._animated, shown, strict=True):
                artist.set_visible(visible)
        else:
            canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for artist in self._animated:
            artist.draw(renderer)
        size = canvas.get_width_height()
        self._frames.append(Image.frombuffer("RGBA", size, canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB"))

    def finish(self) -> None:
        frames = _shared_palette(self._frames)
        duration = int(1000 / self.fps)
        frames[0].save(
            self.outfile, save_all=True, append_images=frames[1:], duration=duration, loop=0, comment=self.comment
        )


def _shared_palette(frames: list[Image.Image]) -> list[Image.Image]:
    """RGB frames as palette images sharing one palette, made by Pillow's fast octree from the first and the last
    frame (a chart keeps its colours from frame to frame); its entry nearest to white is made white, so that the
    background matches the page. Far cheaper than a palette per frame, and a colour keeps its index."""
    first, last = frames[0], frames[-1]
    sample = Image.new("RGB", (first.width, 2 * first.height))
    sample.paste(first, (0, 0))
    sample.paste(last, (0, first.height))
    palette = sample.quantize(256, method=Image.Quantize.FASTOCTREE)
    colours = np.array(palette.getpalette(), dtype=int).reshape(-1, 3)
    colours[np.abs(colours - 255).sum(axis=1).argmin()] = 255
    palette.putpalette([int(v) for v in colours.ravel()])
    return [frame.quantize(palette=palette, dither=Image.Dither.NONE) for frame in frames]


def drawn_size(fig: Figure) -> dict[str, Any]:
    """The size ``fig`` is drawn at and its smallest visible text, as the sidecar JSON records them under ``drawn``.

    Keys: ``width_in``, ``height_in`` (inches), ``dpi`` (of the PNG), ``width_px``, ``height_px`` (the PNG's pixels),
    ``smallest_font_pt`` (points, over every text the figure draws: titles, labels, tick labels, legend, annotations)
    and ``smallest_text`` (one text of that size). Draws ``fig`` once, recording each text drawn and nothing else.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    width_in, height_in = (float(v) for v in fig.get_size_inches())
    renderer = _TextRecorder(width_in * PNG_DPI, height_in * PNG_DPI, PNG_DPI)
    fig.draw(renderer)
    return _drawn(fig, renderer.texts)


def _drawn(fig: Figure, texts: list[tuple[float, str]]) -> dict[str, Any]:
    """:func:`drawn_size`'s entry for ``fig`` from the (size, text) pairs its drawing recorded."""
    width_in, height_in = (float(v) for v in fig.get_size_inches())
    smallest = min(texts) if texts else None
    return {
        "width_in": round(width_in, 4),
        "height_in": round(height_in, 4),
        "dpi": PNG_DPI,
        "width_px": round(width_in * PNG_DPI),
        "height_px": round(height_in * PNG_DPI),
        "smallest_font_pt": smallest[0] if smallest is not None else None,
        "smallest_text": smallest[1] if smallest is not None else None,
    }


class _TextRecorder(RendererAgg):
    """An Agg renderer that paints no text but records the size (points) and content of each text drawn."""

    def __init__(self, width: float, height: float, dpi: float) -> None:
        super().__init__(width, height, dpi)
        self.texts: list[tuple[float, str]] = []

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None) -> None:  # noqa: ANN001
        _record(self.texts, s, prop)


class _RecordingCanvas(FigureCanvasAgg):
    """The Agg canvas that draws a figure's PNG and records, as :class:`_TextRecorder` does, each text it paints:
    the sidecar's ``drawn`` entry comes from the PNG's own drawing, not from one more."""

    def __init__(self, figure: Figure) -> None:
        super().__init__(figure)
        self.texts: list[tuple[float, str]] = []

    def get_renderer(self) -> RendererAgg:
        renderer = super().get_renderer()
        if "draw_text" not in vars(renderer):  # a new renderer (the canvas keeps one per size): make it record
            paint = renderer.draw_text

            def draw_text(gc, x, y, s, prop, angle, ismath=False, mtext=None) -> None:  # noqa: ANN001
                _record(self.texts, s, prop)
                paint(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

            renderer.draw_text = draw_text
        return renderer


def _record(texts: list[tuple[float, str]], s: str, prop: Any) -> None:
    if s.strip():
        texts.append((float(prop.get_size_in_points()), " ".join(s.split())))


def shown_text_px(drawn: Mapping[str, Any], shown_width_px: float | None = None) -> float | None:
    """How tall, in CSS px, the smallest text of a figure is when its PNG is shown ``shown_width_px`` wide.

    Args:
        drawn: the ``drawn`` entry of a figure's sidecar JSON (:func:`drawn_size`).
        shown_width_px: the width the image is shown at; default the book's at 1280 px: its own pixel width, but at
            most :data:`BOOK_FIGURE_WIDTH_PX`.

    A font of ``s`` points is ``s / 72`` inch of a figure ``width_in`` wide, so on the page it is
    ``s / 72 / width_in × shown_width_px``. ``None`` for a figure without text.
    """
    if drawn.get("smallest_font_pt") is None:
        return None
    if shown_width_px is None:
        shown_width_px = min(float(drawn["width_px"]), BOOK_FIGURE_WIDTH_PX)
    return float(drawn["smallest_font_pt"]) / 72.0 / float(drawn["width_in"]) * float(shown_width_px)


def save_table(
    df: pd.DataFrame,
    table_id: str,
    *,
    params: Mapping[str, Any],
    out_dir: str | os.PathLike | None = None,
) -> FigureRecord:
    """Write ``df`` as ``<out_dir>/<table_id>.csv`` and ``.json`` (rows + provenance); see :func:`save_figure`."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    table_id = _check_id("table_id", table_id)
    prov = collect_provenance(params)
    csv = df.to_csv(index=False, lineterminator="\n").encode("utf-8")
    data = {"columns": [str(c) for c in df.columns], "rows": df.to_dict(orient="records")}
    record = _write_all(table_id, "table", {"csv": csv}, data, prov, out_dir)
    return replace(record, table_markdown=markdown_table(df))


def show(record: FigureRecord, caption: str) -> Any:
    """A MyST block (as an IPython ``Markdown`` output) for the book: label, caption with the seed, downloads, citation.

    Paths are relative to the current working directory, i.e. the executing notebook's folder.
    """
    from IPython.display import Markdown

    if not isinstance(record, FigureRecord):
        raise TypeError(f"record must be a FigureRecord, got {type(record).__name__}")
    if not isinstance(caption, str) or not caption.strip():
        raise ValueError(f"caption must be a non-empty string, got {caption!r}")
    return Markdown(myst_block(record, caption))


def myst_block(record: FigureRecord, caption: str) -> str:
    """The MyST text that :func:`show` displays."""
    seed = f"seed {record.seed}" if record.seed is not None else "no seed: deterministic"
    text = f"{caption.strip().rstrip('.')} ({seed})."
    artifacts = [ext for ext in (*IMAGE_FORMATS, ANIMATION_FORMAT, "csv") if ext in record.files]
    links = [f"{{download}}`{ext.upper()} <{_relative(record.files[ext])}>`" for ext in artifacts]
    links.append(f"{{download}}`data + provenance (JSON) <{_relative(record.files['json'])}>`")
    main = artifacts[0]
    cite = (
        f"Cite this {record.kind}: {book_citation()}, {record.kind} `#{record.id}`, "
        f"{main.upper()} sha256 `{record.sha256[main]}`. {built_at(record.provenance)}"
    )
    footer = f"Download: {' · '.join(links)}. {cite}"
    if record.kind == "table":
        return f"```{{table}} {text}\n:name: {record.id}\n\n{record.table_markdown}\n```\n\n{footer}\n"
    alt = json.dumps(" ".join(caption.split()), ensure_ascii=False)  # a YAML double-quoted string
    return f"```{{figure}} {_relative(record.files[main])}\n:name: {record.id}\n:alt: {alt}\n\n{text} {footer}\n```\n"


def built_at(prov: Mapping[str, Any]) -> str:
    """Which commit built the item, as its provenance says (a chapter not re-executed keeps its own)."""
    commit, dirty = prov.get("git_commit"), prov.get("git_dirty")
    if commit is None:
        return "Built outside a git checkout." if dirty is None else "Built before the first commit."
    return f"Built at commit `{commit}`{' with uncommitted changes' if dirty else ''}."


def markdown_table(df: pd.DataFrame) -> str:
    """``df`` as a pipe table (no index); pipes in cells are escaped, missing values left empty."""

    def cell(value: Any) -> str:
        if value is None or (np.ndim(value) == 0 and pd.isna(value)):
            return ""
        return str(value).replace("|", "\\|").replace("\n", " ")

    header = "| " + " | ".join(cell(c) for c in df.columns) + " |"
    rule = "|" + "|".join("---" for _ in df.columns) + "|"
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def collect_provenance(params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters, seed, lgrad version, git commit and dirtiness, torch's thread count, and library versions."""
    import torch

    params = _jsonable(_check_mapping("params", params))
    commit, dirty = git_state()
    versions = {"python": platform.python_version()}
    versions.update({key: _version(dist) for key, dist in _LIBRARIES.items()})
    return {
        "params": params,
        "seed": params.get("seed"),
        "lgrad_version": lgrad_version(),
        "git_commit": commit,
        "git_dirty": dirty,
        "threads": torch.get_num_threads(),
        "versions": versions,
    }


def git_state(path: str | os.PathLike | None = None) -> tuple[str | None, bool | None]:
    """``(commit, dirty)`` of the git checkout holding ``path`` (default: the lgrad package); never raises.

    ``commit`` is ``None`` in a repository without commits; both are ``None`` where that cannot be told: git missing,
    no checkout, or ``path`` ignored by the checkout (e.g. an installed copy under ``.venv``). ``dirty`` is whether
    ``git status --porcelain`` lists anything.
    """
    where = Path(path if path is not None else Path(__file__).parent).resolve()
    inside = _git(where, "rev-parse", "--show-toplevel") is not None
    ignored = _git(where, "check-ignore", "-q", str(where)) is not None  # exit status 0: ignored
    if not inside or ignored:
        return None, None
    commit = _git(where, "rev-parse", "--verify", "-q", "HEAD")
    status = _git(where, "status", "--porcelain")
    return (commit or None), (None if status is None else bool(status))


def lgrad_version() -> str | None:
    """The version of the lgrad package."""
    from .. import __version__

    return __version__


def _git(cwd: Path, *args: str) -> str | None:
    """Stdout of ``git -C cwd args`` stripped, or ``None`` if git is missing or fails."""
    try:
        done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _render_all(fig: Figure, fig_id: str, prov: Mapping[str, Any]) -> tuple[dict[str, bytes], list]:
    """Every image format from the figure's undrawn state, and the (size, text) pairs the PNG drew; the PNG, drawn
    first, lays the figure out, and the other formats reuse its layout."""
    engine, canvas = fig.get_layout_engine(), fig.canvas
    _restore_positions(fig)
    images = {}
    try:
        recording = _RecordingCanvas(fig)
        for fmt in IMAGE_FORMATS:
            images[fmt] = _render(fig, fmt, fig_id, prov)
            fig.set_layout_engine("none")
            fig.set_canvas(canvas)
    finally:
        fig.set_layout_engine(engine)
        fig.set_canvas(canvas)
    return images, recording.texts


def _restore_positions(fig: Figure) -> None:
    """Put the axes where :func:`attach_data` found them (else where their subplot specs say) before a layout."""
    saved = {id(ax): (original, active) for ax, original, active in getattr(fig, _POSITIONS, [])}
    for ax in fig.axes:
        if id(ax) in saved:
            ax._set_position(saved[id(ax)][0], which="original")
            ax._set_position(saved[id(ax)][1], which="active")
        elif ax.get_subplotspec() is not None and fig.get_layout_engine() is not None:
            ax._set_position(ax.get_subplotspec().get_position(fig), which="both")


def _render(fig: Figure, fmt: str, fig_id: str, prov: Mapping[str, Any]) -> bytes:
    """``fig`` as ``fmt`` bytes, with provenance in the file's metadata and no timestamps."""
    summary = json.dumps(prov, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    title = f"{fig_id} (lgrad {prov['lgrad_version']})"
    keywords = f"lgrad; {fig_id}; seed={prov['seed']}; git={prov['git_commit']}; dirty={prov['git_dirty']}"
    meta: dict[str, Any] = {
        "png": {"Title": title, "Description": keywords, "Provenance": summary},
        "svg": {"Title": title, "Description": summary, "Keywords": keywords, "Date": None},
        "pdf": {"Title": title, "Subject": summary, "Keywords": keywords, "CreationDate": None, "ModDate": None},
    }[fmt]
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": f"lgrad-{fig_id}"}):
        fig.savefig(buffer, format=fmt, dpi=PNG_DPI, metadata=meta, facecolor="white")
    return buffer.getvalue()


def _write_all(
    item_id: str,
    kind: str,
    artifacts: Mapping[str, bytes],
    data: Mapping[str, Any],
    prov: Mapping[str, Any],
    out_dir: str | os.PathLike | None,
    *,
    drawn: Mapping[str, Any] | None = None,
) -> FigureRecord:
    folder = Path(out_dir if out_dir is not None else os.environ.get(FIGURES_DIR_ENV) or DEFAULT_FIGURES_DIR)
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    sha = {ext: hashlib.sha256(blob).hexdigest() for ext, blob in artifacts.items()}
    files = {ext: folder / f"{item_id}.{ext}" for ext in artifacts}
    doc = {
        "id": item_id,
        "kind": kind,
        "files": {
            ext: {"name": path.name, "sha256": sha[ext], "bytes": len(artifacts[ext])} for ext, path in files.items()
        },
        "data": _jsonable(data),
        **({"drawn": dict(drawn)} if drawn is not None else {}),
        "provenance": dict(prov),
    }
    blobs = {**artifacts, "json": (json.dumps(doc, indent=1, ensure_ascii=False, allow_nan=False) + "\n").encode()}
    files["json"] = folder / f"{item_id}.json"
    for ext, blob in blobs.items():  # the JSON last: it vouches for the others
        atomic_write(files[ext], blob)
    return FigureRecord(id=item_id, kind=kind, files=files, sha256=sha, seed=prov["seed"], provenance=dict(prov))


def _relative(path: Path) -> str:
    return Path(os.path.relpath(path, Path.cwd())).as_posix()


def _check_id(name: str, value: Any) -> str:
    ok = isinstance(value, str) and value[:1].isalnum() and all(c.islower() or c.isdigit() or c == "-" for c in value)
    if not ok or not value.isascii():
        raise ValueError(f"{name} must be lowercase letters, digits and dashes, e.g. 'fig-correlation', got {value!r}")
    return value


def _check_mapping(name: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict, got {type(value).__name__}")
    return {str(k): v for k, v in value.items()}


def _jsonable(value: Any) -> Any:
    """``value`` with numpy/pandas/torch objects turned into JSON types; non-finite floats become ``None``."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, pd.DataFrame):
        return _jsonable(value.to_dict(orient="list"))
    if isinstance(value, pd.Series | np.ndarray):
        return _jsonable(value.tolist())
    if hasattr(value, "detach") and hasattr(value, "tolist"):  # a torch tensor
        return _jsonable(value.detach().cpu().tolist())
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [_jsonable(v) for v in items]
    if isinstance(value, np.generic):
        return _jsonable(value.item())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, str | int | bool):
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return str(value)  # e.g. a torch dtype
