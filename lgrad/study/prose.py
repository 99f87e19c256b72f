"""The book's sentences about results, chosen by the numbers they state, so that they stay true for any parameters.

A chapter either glues a phrase made here or guards a fixed sentence with :func:`guard`, which stops the build with
"the sentence '…' no longer holds: …" when its premise breaks. Every function takes numbers already computed by the
other :mod:`lgrad.study` modules; none trains or measures anything. The text is MyST Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..defaults import DEFAULTS
from .paper import PAPER_EPOCHS, PAPER_LOSS


class SentenceError(AssertionError):
    """A guarded sentence of the book whose premise no longer holds for the parameters it was built with."""


def guard(holds: bool, sentence: str, why: str) -> None:
    """Stop the build, naming the sentence, if its premise does not hold."""
    if not holds:
        raise SentenceError(f"the sentence {sentence!r} no longer holds: {why}")


def percent(share: float, digits: int = 1) -> str:
    return f"{100 * share:.{digits}f} %"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 seed``, ``3 seeds``."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def learned_nothing(history: Any, class_names: Sequence[str]) -> str | None:
    """What a run that learned nothing did, in one sentence; ``None`` for a run whose last epoch ranks its inputs."""
    stuck = history.degenerate_from()
    if stuck is None:
        return None
    diverged = history.diverged_from()
    why = "is zero" if diverged is None else f"is not finite (its cost diverged from epoch {diverged} on)"
    accuracy = percent(float(history.test_accuracy[-1]))
    predicted = history.constant_prediction()
    if predicted is None:
        tail = f"its test accuracy is {accuracy}"
    else:
        majority = int(np.argmax(history.test_class_shares))
        which = "the majority class" if predicted == majority else "a minority class"
        tail = (
            f"it predicts {class_names[predicted]} for every test row, so its test accuracy, {accuracy}, is the "
            f"share of {which}"
        )
    return f"this run learned nothing: from epoch {stuck} on its learning gradient {why}, and {tail}"


def colored(status: str | None, what: str = "bars", k: int = 5) -> str:
    """What the colours of the paper's Fig. 5 (``what="bars"``) or of the heatmap's ``"names"`` mark."""
    if status is not None:
        return f"no {what[:-1]} is colored: this run has no most relevant variables"
    return f"the {what} of the {k} most relevant variables after the last epoch are colored"


def batches(batch_size: int | str, n_train: int) -> str:
    """How the training rows are fed: ``mini-batches of 16 examples``, ``one batch of all 455 rows``…"""
    if batch_size == "full" or batch_size >= n_train:
        return f"one batch of all {n_train} training rows per step (full-batch gradient descent)"
    if batch_size == 1:
        return "one example per step, as in Algorithm 1"
    return f"mini-batches of {batch_size} examples"


def test_errors(errors: int, n_test: int) -> str:
    """How far the run is from 100 % test accuracy, in rows."""
    steps = f"A test set of {n_test} rows measures accuracy in steps of one row ({100 / n_test:.2f} percentage points)"
    if errors == 0:
        return f"{steps}; this run gets every row right."
    return f"{steps}: this run is {count(errors, 'row')} away from 100 %."


def ranking_settles(summary: dict[str, Any]) -> str:
    """When the final top five was reached for good, against the length of the run (never an epoch past the last)."""
    epochs, since, k = summary["epochs"], summary["top_k_final_from"], summary["k"]
    held = count(epochs - since + 1, "epoch")
    if since == 1:
        return f"The ranking is settled from the start: the final top {k} is the top {k} of every epoch."
    pace = "late" if since > epochs / 2 else "early"
    return (
        f"The ranking settles {pace}: the final top {k} is reached for good at epoch {since} of {epochs}, so it held "
        f"for the last {held}; the top {k} of epoch {since - 1} differs."
    )


def spearman_first(rho: float) -> str:
    if not np.isfinite(rho):
        return "undefined (the first epoch's bars give no ranking)"
    return f"ρ = {rho:.2f}"


def setting_reason(name: str, value: Any, variations: dict[str, list[str]]) -> str:
    """The "Why" of one setting in the chapter *Reading the paper*: its reason when it is the book's default, a plain
    "set by the reader" otherwise; the values the sensitivity table tries are listed from the table itself."""
    tried = variations.get(name)
    also = f"; {', '.join(tried)} in the sensitivity table" if tried else ""
    if name == "epochs" and value == PAPER_EPOCHS:
        return "as the paper"
    if name == "loss" and value == PAPER_LOSS:
        return f"as the paper{also}"
    if value != DEFAULTS.get(name):
        return f"set for this build (the book's default is {_plain(DEFAULTS.get(name))}){also}"
    return DEFAULT_REASONS.get(name, "") + also


DEFAULT_REASONS = {
    "activation": 'the function the paper writes out first, and the one its "perceptron-type" network suggests',
    "lr": "the sigmoid's slope is at most ¼ and a sigmoid network's gradient on a squared error is small: plain SGD "
    "needs a large step to learn in 40 epochs",
    "batch_size": "a common size; 1 (Algorithm 1 to the letter) is much slower to run",
    "test_size": "the usual 80/20 split, stratified so that both parts keep the class balance",
    "scale": "fitting it on the training rows keeps the test rows out of training",
    "seed": "fixed in advance, never searched",
    "epochs": "the paper's 40 is the book's default",
    "loss": "the paper's cost is the book's default",
}
"""Why each default was chosen (``lgrad.DEFAULTS``), said only beside the default value."""


def _plain(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)


def tried_values(variations: Sequence[Any], params: dict[str, Any]) -> dict[str, list[str]]:
    """The values the sensitivity table tries for each parameter (those that differ from ``params``)."""
    tried: dict[str, list[str]] = {}
    for variation in variations:
        for key, value in variation.overrides.items():
            name = "seed" if key in ("split_seed", "train_seed") else key
            if key in params and _plain(value) == _plain(params[key]):
                continue
            label = variation.value if name != "seed" else f"{variation.setting} {variation.value}"
            tried.setdefault(name, []).append(label)
    return tried


def settings_table(params: dict[str, Any], tried: dict[str, list[str]], steps_per_epoch: int) -> str:
    """The chapter's table of settings: what the paper says, the value this build ran with, and why."""

    def why(name: str) -> str:
        return setting_reason(name, params[name], tried)

    bar = "Σ_i \\|∂C_i/∂x\\| over the epoch's examples, each at the weights it was trained with, then normalized"
    rows = [
        ("Hidden activation", "presents the sigmoid ({eq}`eq-sigmoid`) and says ReLU ({eq}`eq-relu`) does better in "
         "hidden layers; not which one it used", params["activation"], why("activation")),
        ("Output and decision", "one output for the 0/1 target", "a sigmoid output unit; class 1 when "
         "$\\hat y \\ge 0.5$", "keeps $\\hat y$ between 0 and 1, like the target"),
        ("Cost", "mean squared error with ½ ({eq}`eq-cost`)", params["loss"], why("loss")),
        ("Optimizer", "stochastic gradient descent", "plain SGD: no momentum, no weight decay", "as the paper"),
        ("Learning rate", "not given", _plain(params["lr"]), why("lr")),
        ("Mini-batch size", "mentions mini-batches; no size", f"{_plain(params['batch_size'])} "
         f"({count(steps_per_epoch, 'step')} per epoch)", why("batch_size")),
        ("Epochs", "40", _plain(params["epochs"]), why("epochs")),
        ("Train/test split", "not given", f"{percent(params['test_size'], 0)} of the rows for testing, stratified by "
         "class, drawn from the seed", why("test_size")),
        ("Standardization", "subtract the mean, divide by the standard deviation; not said over which rows",
         "fitted on the training rows only" if params["scale"] == "train" else "fitted on all rows", why("scale")),
        ("Initialization", "not given", "PyTorch's default range, "
         "$U(-1/\\sqrt{n_\\text{in}}, 1/\\sqrt{n_\\text{in}})$, drawn from the seed",
         "the paper used PyTorch and names no other scheme"),
        ("Example order", "not given", "a new random order every epoch, drawn from the seed", "what SGD usually means"),
        ("Seed", "not given", _plain(params["seed"]), why("seed")),
        ("An epoch's bar", "Algorithm 2 normalizes one example's gradient; the paper reads it per example, mini-batch "
         "or epoch, without saying how examples are combined", f"{bar} ({{eq}}`eq-epoch-relevance`)",
         "absolute values before summing keep opposite signs from cancelling; it is what the training step computed; "
         "three other readings are in the sensitivity table"),
        ("Precision", "not given", "32-bit floats", "PyTorch's default"),
    ]  # fmt: skip
    lines = ["| Setting | What the paper says | This book | Why |", "|---|---|---|---|"]
    return "\n".join([*lines, *(f"| {' | '.join(row)} |" for row in rows)])


def data_intro(ds: Any, scale: str) -> str:
    """The data chapter's opening: where the rows come from, what the classes are, what the inputs measure."""
    classes = f"labelled {ds.class_names[0]} (target 0) or {ds.class_names[1]} (target 1)"
    scaled = "the training rows only" if scale == "train" else "all rows, test rows included"
    standardized = (
        "the scales differ by orders of magnitude, which is why the inputs are standardized before training "
        f"(subtract the mean, divide by the standard deviation, fitted here on {scaled})"
    )
    if ds.name != "breast_cancer":
        return (
            f"This book was built on the CSV file `{ds.name}` instead of the paper's data: {len(ds.raw)} rows, each "
            f"described by {ds.n_features} numeric columns and {classes} by its `{ds.settings['target']}` column.\n\n"
            "## The input variables\n\n"
            "{numref}`tbl-features` lists the input variables with the average of each over all rows, in the data's "
            f"own units; the inputs are standardized before training (fitted here on {scaled})."
        )
    return (
        "The paper uses the copy of the Wisconsin Diagnostic Breast Cancer data that ships with scikit-learn "
        f"(`sklearn.datasets.load_breast_cancer`): {len(ds.raw)} images of a fine-needle aspirate of a breast mass, "
        f"each described by {ds.n_features} numbers computed from the cell nuclei it shows, and {classes}.\n\n"
        "## The input variables: three statistics of ten measurements\n\n"
        "Ten measurements are made on every nucleus of an image. Each enters the data three times: as its **mean** "
        "over the nuclei (`mean radius`), its **standard error** (`radius error`) and its **worst** value, the mean "
        "of the three largest (`worst radius`). {numref}`tbl-features` lists them with the average of each variable "
        f"over all rows, in the data's own units: {standardized}."
    )


def blocks(blocks: Sequence[Sequence[str]], n_features: int, threshold: float, mean_error: int, mean_worst: int) -> str:
    """What the correlated blocks of the data chapter are, counted from them."""
    rule = (
        "The blocks are found from the data rather than by eye: join every pair of variables whose correlation is "
        f"at least {threshold} in absolute value, and take the groups linked by such chains "
        "(`lgrad.study.describe.correlated_blocks`). "
    )
    if not blocks:
        return rule + "No pair of variables is that strongly correlated here: there are no blocks."
    in_blocks = sum(len(block) for block in blocks)
    text = (
        f"There {'is' if len(blocks) == 1 else 'are'} {count(len(blocks), 'block')}, holding {in_blocks} of the "
        f"{n_features} variables ({{numref}}`tbl-blocks`); the largest is {', '.join(max(blocks, key=len))}. "
        "The paper describes its blocks as mainly the mean and the error statistics of the same measurement, e.g. "
        "of the radius. "
    )
    if mean_error or mean_worst:
        text += (
            f"Here {mean_error} of the blocks join the mean and the standard error of one measurement, and "
            f"{mean_worst} join its mean and its worst value; the table says which measurements and statistics "
            "each block joins."
        )
    else:
        text += "Here no block joins two statistics of one measurement."
    return rule + text


def top5_paragraph(history: Any, status: str | None, paper_top5: Sequence[str]) -> str:
    """The training chapter's reading of the last epoch's top five, or why there is none."""
    if status is not None:
        return (
            f"{status[0].upper()}{status[1:]}. No variable is more relevant than another, so there is no top five: "
            "{numref}`tbl-top5` shows the paper's list alone."
        )
    top5, final = history.top_features(5), np.asarray(history.relevance[-1])
    same_rank = sum(a == b for a, b in zip(top5, paper_top5, strict=True))
    return (
        f"After the last epoch the most relevant variable is {top5[0]}, with {100 * final.max():.1f} % of the "
        f"learning gradient; the top five together take {100 * np.sort(final)[-5:].sum():.1f} %, against "
        f"{100 / len(final):.1f} % each if all variables counted the same. {{numref}}`tbl-top5` sets them beside the "
        f"paper's list: {len(set(top5) & set(paper_top5))} of this run's five are among the paper's five, and "
        f"{same_rank} at the same rank."
    )


def top5_finding(top5: Sequence[str], status: str | None, paper_top5: Sequence[str]) -> str:
    """The top-five row of the book's summary table, as plain text."""
    if status is not None:
        return f"None: {status}."
    return f"This run: {', '.join(top5)}; {len(set(top5) & set(paper_top5))} of them in the paper's five."


def convergence_paragraph(summary: dict[str, Any] | None, status: str | None, settle_ratio: float) -> str:
    """The training chapter's verdict on the paper's convergence claim, from :func:`convergence_summary`."""
    if status is not None:
        return (
            f"{status[0].upper()}{status[1:]}. Its learning gradient has nothing to converge to: "
            "{numref}`fig-convergence` draws the rank measures only for the epochs that rank the inputs."
        )
    window = summary["window"]
    verdict = "settle" if summary["settles"] else "do not settle"
    rho_from = summary["spearman_09_from"]
    stays = (
        f"stays at 0.9 or above from epoch {rho_from} on"
        if rho_from <= summary["epochs"]
        else "is below 0.9 at the last epoch"
    )
    return (
        f"Over the first {count(window, 'epoch-to-epoch step')} the bars move by "
        f"{100 * summary['early_change']:.1f} percentage points on average, over the last {window} by "
        f"{100 * summary['late_change']:.1f}: a ratio of {summary['change_ratio']:.2f}. With the criterion fixed in "
        f"`lgrad.study.convergence` before the runs were looked at (the bars settle when that ratio is at most "
        f"{settle_ratio}), the bars of this run **{verdict}**. {ranking_settles(summary)} The first epoch's ranking "
        f"correlates with the last one's at {spearman_first(summary['spearman_first'])}, and the correlation {stays}."
    )


def convergence_finding(summary: dict[str, Any] | None, status: str | None) -> str:
    """The convergence row of the book's summary table, as plain text."""
    if status is not None:
        return f"There is nothing to converge: {status}."
    verdict = "settle" if summary["settles"] else "do not settle"
    return (
        f"The bars {verdict}: they move by {100 * summary['early_change']:.1f} percentage points per epoch early on "
        f"and {100 * summary['late_change']:.1f} at the end. {ranking_settles(summary)}"
    )


PAPER_COLUMN = "in paper's top 5"
KEPT_ACCURACY = 0.02
"""A variation keeps the base run's test accuracy when it is within 2 percentage points of it."""


def _variations(table: Any) -> Any:
    return table[(table.index > 0) & (table["setting"] != "epoch bar (base model)")]


def sensitivity_accuracy(table: Any, n_test: int) -> str:
    """The sensitivity table's accuracies, read against the base run."""
    base, variations = table.iloc[0], _variations(table)
    lowest = variations.loc[variations["test accuracy"].idxmin()]
    top = base["top 5 (most relevant first)"]
    learned = not top.startswith("none")
    bars = (
        "The last rows keep the base run's trained network and change only how the per-example gradients are made "
        "into one bar chart, here at the final weights over the training rows. "
        if (table["setting"] == "epoch bar (base model)").any()
        else "No row re-reads the base network's gradients: a run that learned nothing ranks nothing to compare. "
    )
    return (
        bars + f"The base run reaches {percent(base['test accuracy'])} test accuracy"
        + (f", and its top five, {top}, shares {int(base[PAPER_COLUMN])} variable(s) with the paper's. "
           if learned else f" and ranks nothing ({top}). ")
        + f"Across the {len(variations)} variations of a training setting, test accuracy ranges from "
        f"{percent(variations['test accuracy'].min())} ({lowest['setting']} = {lowest['value']}) to "
        f"{percent(variations['test accuracy'].max())}, and {int((variations['test accuracy'] >= 1).sum())} of them "
        f"reach 100 %. A test accuracy moves in steps of one test row, {100 / n_test:.2f} percentage points with "
        f"{n_test} test rows; a smaller test set makes 100 % easier to reach, not the network better."
    )  # fmt: skip


def sensitivity_top5(table: Any, blocks: Sequence[Sequence[str]]) -> str:
    """How much the top five moves with the settings, against the accuracy, and whether the movers are in blocks."""
    base, variations = table.iloc[0], _variations(table)
    if base["top 5 (most relevant first)"].startswith("none"):
        learned = int(variations[PAPER_COLUMN].notna().sum())
        return (
            f"The base run learned nothing, so no variation can be compared with its top five; {learned} of the "
            f"{len(variations)} variations learned something."
        )
    ranked = variations[variations["shared with base top 5"].notna()]
    n, shared = len(ranked), ranked["shared with base top 5"].astype(int)
    acc_kept = int(((variations["test accuracy"] - base["test accuracy"]).abs() <= KEPT_ACCURACY).sum())
    top_kept = int((shared == 5).sum())
    moves = (
        "much more than"
        if top_kept / max(n, 1) < acc_kept / len(variations) - 0.25
        else ("more than" if top_kept / max(n, 1) < acc_kept / len(variations) else "no more than")
    )
    firsts = ranked["top 5 (most relevant first)"].str.split(", ").str[0]
    base_top = base["top 5 (most relevant first)"].split(", ")
    text = (
        f"The top five moves {moves} the accuracy: {top_kept} of the {n} variations that learned keep all five of "
        f"the base run's variables, while {acc_kept} of {len(variations)} keep its test accuracy within "
        f"{100 * KEPT_ACCURACY:.0f} percentage points. A typical variation (the median) keeps {shared.median():.0f} "
        f"of the five, {int((firsts == base_top[0]).sum())} keep the same most relevant variable, and none has more "
        f"than {int(ranked[PAPER_COLUMN].max()) if n else 0} of the paper's five in its own. "
    )  # fmt: skip
    bars = table[table["setting"] == "epoch bar (base model)"]["shared with base top 5"]
    if len(bars):
        matters = "less" if bars.min() >= shared.median() else "as much or more"
        text += (
            f"The way an epoch's bar is made matters {matters} on the same trained network: the alternative "
            f"readings keep {int(bars.min())} to {int(bars.max())} of the five. "
        )
    init = ranked[ranked["setting"].str.startswith("initialization seed")]
    if len(init):
        text += (
            f"Even the seed of the initial weights alone, with the split fixed, changes the top five in "
            f"{int((init['shared with base top 5'] < 5).sum())} of {len(init)} tries. "
        )
    movers = set()
    for top in ranked["top 5 (most relevant first)"].str.split(", "):
        movers |= set(top) ^ set(base_top)
    in_blocks = {name for name in movers if any(name in block for block in blocks)}
    if movers:
        text += (
            f"Of the {len(movers)} variables that enter or leave the top five across the variations, "
            f"{len(in_blocks)} belong to a block of strongly correlated variables ({{ref}}`sec-correlation`), where "
            "the network can lean on one member or another."
        )
    return text.rstrip()


def sweep_bullets(summary: dict[str, Any], paper_top5: Sequence[str]) -> str:
    """The seed sweep against the paper's two claims, as two bullets."""
    n, learned = summary["n_seeds"], summary["n_learned"]
    accuracy = (
        f"- **100 % test accuracy after 40 epochs**: reached with {summary['n_perfect_test']} of the {n} seeds; test "
        f"accuracy ranges from {percent(summary['test_min'])} to {percent(summary['test_max'])}, median "
        f"{percent(summary['test_median'])}."
    )
    if not learned:
        return accuracy + f"\n- **The top five** ({', '.join(paper_top5)}): no seed's run learned anything to rank."
    nothing = f" ({n - learned} of the {n} seeds' runs learned nothing and rank nothing)" if learned < n else ""
    return accuracy + (
        f"\n- **The top five** ({', '.join(paper_top5)}){nothing}: {summary['n_same_top5_set']} of the seeds give "
        f"exactly the paper's five; a seed's top five contains {summary['paper_in_top_mean']:.1f} of them on average "
        f"and at most {summary['paper_in_top_max']}. The paper's most relevant variable, {paper_top5[0]}, is in the "
        f"top five of {count(summary['n_paper_first_in_top'], 'seed')}."
    )


def sweep_frequency(frequency: Any, summary: dict[str, Any], paper_top5: Sequence[str]) -> str:
    """Which variables the seeds agree on."""
    if not summary["n_learned"]:
        return (
            "No seed's run learned anything, so no variable is ranked: {numref}`tbl-top5-frequency` lists only the "
            "paper's five, with no seed."
        )
    counts = frequency.set_index("variable")["seeds with it in the top 5"]
    frequent = [name for name, c in counts.items() if c >= summary["n_learned"] / 2]
    never = [name for name in paper_top5 if counts.get(name, 0) == 0]
    return (
        "Counting, over the seeds, how often each variable makes the top five ({numref}`tbl-top5-frequency`) gives "
        f"a steadier ranking than any single run: {int((counts > 0).sum())} different variables appear in some "
        f"seed's top five; the ones in the top five of at least half of the seeds that learned are "
        f"{', '.join(frequent) or 'none'}. Of the paper's five, these never make any seed's top five: "
        f"{', '.join(never) or 'none'}."
    )


def sweep_findings(summary: dict[str, Any]) -> dict[str, str]:
    """The summary table's sweep columns, as plain text."""
    accuracy = (
        f"Across {summary['n_seeds']} seeds, 100 % is reached {summary['n_perfect_test']} time(s); median "
        f"{percent(summary['test_median'])}."
    )
    if not summary["n_learned"]:
        return {"accuracy": accuracy, "top5": "Across seeds, no run learned anything to rank."}
    return {
        "accuracy": accuracy,
        "top5": (
            f"Across seeds, {summary['paper_in_top_mean']:.1f} of the paper's five on average, never more than "
            f"{summary['paper_in_top_max']}."
        ),
    }


def conclusions(table: Any, summary: dict[str, Any]) -> str:
    """What the chapter's numbers mean for the paper's claims, each clause counted from them."""
    base, variations = table.iloc[0], _variations(table)
    drop = variations["test accuracy"] < base["test accuracy"] - KEPT_ACCURACY
    kept, n = int((~drop).sum()), len(variations)
    share = "most" if kept > n / 2 else ("some" if kept else "none")
    worse = "; ".join(f"{r['setting']} = {r['value']}" for _, r in variations[drop].iterrows()) or "none"
    perfect, seeds = summary["n_perfect_test"], summary["n_seeds"]
    if perfect == 0:
        exact = f"Exactly 100 % is reached by none of the {seeds} seeds."
    elif perfect == seeds:
        exact = f"Exactly 100 % is reached by every one of the {seeds} seeds."
    else:
        exact = f"Exactly 100 % depends on which few rows land in the test set: {perfect} of {seeds} seeds reach it."
    ranked = variations[variations["shared with base top 5"].notna()]
    changed = int((ranked["shared with base top 5"] < 5).sum())
    if summary["n_learned"] and not base["top 5 (most relevant first)"].startswith("none"):
        top = (
            f"The top five is not a property of the data alone: the seeds give {summary['n_distinct_top5_sets']} "
            f"different top fives in {summary['n_learned']} runs that learned, and {changed} of the {len(ranked)} "
            "setting changes that learned change it, so a ranking of input variables from one training run should "
            "be read with the spread of {numref}`tbl-seed-sweep` beside it, and the groups of correlated variables "
            "in mind."
        )
    else:
        top = "Where a run learned nothing there is no ranking to read at all; {numref}`tbl-seed-sweep` says which."
    return (
        "The learning gradient itself is what the paper says it is: the gradient of the cost with respect to the "
        "input, obtained from the backward pass that training makes anyway (the tests of `lgrad` check it against a "
        "hand-written backpropagation and against Captum's saliency). Its readings are less firm than the paper's "
        f"single run suggests. The base run's test accuracy survives {share} of the {n} settings changed here "
        f"(within {100 * KEPT_ACCURACY:.0f} percentage points); those that lose more are: {worse}. {exact} {top}"
    )


# --- attributions ---


def attribution_seeds(study: Any) -> str:
    """Which networks the chapter *Against established attributions* compares, and which it leaves out."""
    n, requested, learned = len(study.seeds), study.requested, sum(study.learned)
    span = f"seed {study.seeds[0]}" if n == 1 else f"seeds {study.seeds[0]}–{study.seeds[-1]}"
    which = (
        f"all {count(n, 'seed')} of the `seeds` parameter"
        if n == requested
        else f"the first {n} of the `seeds` parameter's {requested} (every method on every one of them would not "
        "fit the chapter's share of the build time, about 20 s on one thread; "
        "`lgrad.study.attribution_study.MAX_SEEDS`)"
    )
    text = (
        f"The chapter trains one network per seed, {span}: {which}. Seed $s$ splits the data as "
        "`load_dataset(seed=s)` does and draws the initial weights and the example order from $s$, as the chapter "
        "across seeds does, with this build's training settings. "
    )
    if learned == 0:
        return text + (
            f"None of the {count(n, 'network')} learned anything (the learning gradient of its last epoch is zero or "
            "not finite), so no method ranks anything below: the figures and tables say so."
        )
    left = (
        f"{n - learned} of them learned nothing (the learning gradient of the last epoch is zero or not finite) and "
        "are left out; "
        if learned < n
        else "Every one of them learned; "
    )
    accuracy = np.median(np.asarray(study.test_accuracy)[np.asarray(study.learned)])
    return text + (
        f"{left}the comparisons below use the {count(learned, 'network')} that rank their inputs, whose median test "
        f"accuracy is {percent(float(accuracy))}."
    )


def attribution_choices(study: Any) -> str:
    """The settings of the methods that the chapter chose, and how much the rankings depend on the cheap ones."""
    s, checks = study.settings, study.checks
    text = (
        f"Saliency, InputXGradient, Integrated Gradients and DeepLift attribute the network's logit $z$ (the "
        f"evidence for class 1, {study.class_names[1]}, before the output sigmoid) over the {study.n_test} test rows "
        "of each seed, and each variable's score is its mean |attribution| over those rows. "
    )
    if np.isfinite(checks.get("saliency_probability_rho", np.nan)):
        text += (
            "Attributing the predicted probability $\\hat y$ instead gives Saliency "
            f"{agreement_word(checks['saliency_probability_rho'])} (a mean Spearman ρ of "
            f"{checks['saliency_probability_rho']:.3f} with the logit's). "
        )
    text += (
        "Integrated Gradients and DeepLift start from the baseline 0, which for standardized inputs is the mean row "
        f"of the rows the standardization was fitted on; Integrated Gradients takes {s['ig_steps']} steps "
        "(Gauss–Legendre, Captum's rule)"
    )
    if study.scores:
        text += (
            ", and its completeness error (a row's attributions should sum to $z(x) - z(0)$) "
            f"{_at_most(checks['ig_completeness_error'])} of the mean $|z(x) - z(0)|$, over every row and seed"
        )
    text += (
        f". Permutation importance shuffles each column {count(s['permutation_repeats'], 'time')} and scores the "
        f"network by its own cost ({s['loss']}; the accuracy moves in steps of one row), with `random_state` the "
        f"seed. GradEnFS decays with β = {s['gradenfs_beta']}, the default of the authors' code"
    )
    if np.isfinite(checks.get("gradenfs_beta_rho", np.nan)):
        text += (
            f"; β = {s['compared_beta']} ranks the variables with a mean ρ of {checks['gradenfs_beta_rho']:.3f} "
            "against it"
        )
    return text + "."


def _at_most(share: float) -> str:
    """``is at most 0.25 %``, or ``is less than 0.01 %`` for a share too small for two decimals."""
    return "is less than 0.01 %" if share < 1e-4 else f"is at most {percent(share, 2)}"


def agreement_word(rho: float) -> str:
    """How alike two rankings are, in words, from Spearman's ρ."""
    if rho >= 0.9:
        return "nearly the same ranking"
    if rho >= 0.7:
        return "a similar ranking"
    if rho >= 0.4:
        return "a loosely related ranking"
    return "a different ranking"


def agreement_paragraph(mean_rho: Any, n_seeds: Any, method: str = "learning gradient") -> str:
    """The agreement matrix read for the learning gradient: which methods rank the variables as it does."""
    if not np.isfinite(mean_rho.to_numpy()).any():
        return "No network learned, so no two methods can be compared: {numref}`fig-attribution-agreement` is empty."
    close = mean_rho[method].drop(method)
    close = close[np.isfinite(close.to_numpy())].sort_values(ascending=False, kind="stable")
    if close.empty:
        return f"No seed gives the {method} a ranking that another method can be compared with."
    listed = "; ".join(f"{name} {rho:.2f}" for name, rho in close.items())
    names = list(mean_rho.index)
    pairs = [(a, b, mean_rho.loc[a, b]) for i, a in enumerate(names) for b in names[i + 1 :]]
    pairs = [p for p in pairs if np.isfinite(p[2])]
    low, high = min(pairs, key=lambda p: p[2]), max(pairs, key=lambda p: p[2])
    counts = n_seeds.to_numpy()[np.isfinite(mean_rho.to_numpy())]
    fewer = (
        f" (a pair counts only the seeds where both methods rank, {int(counts.min())} to {int(counts.max())} here)"
        if counts.min() < counts.max()
        else ""
    )
    return (
        f"Averaged over the seeds{fewer}, the {method}'s Spearman ρ with each method, highest first: {listed}. "
        f"The closest, {close.index[0]}, gives {agreement_word(close.iloc[0])}; the "
        f"farthest, {close.index[-1]}, {agreement_word(close.iloc[-1])}. Over all pairs of methods the mean ρ runs "
        f"from {low[2]:.2f} ({low[0]} against {low[1]}) to {high[2]:.2f} ({high[0]} against {high[1]})."
    )


def attribution_top5(table: Any, method: str = "learning gradient", k: int = 5) -> str:
    """How many of the learning gradient's seed-mean top five the other methods share."""
    column = f"top {k} (seed mean, most relevant first)"
    tops = {row["method"]: row[column].split(", ") for _, row in table.iterrows() if not row[column].startswith("—")}
    if method not in tops:
        return f"No method ranks anything here, so {{numref}}`tbl-attribution-top5` has no top {k} to compare."
    own = set(tops[method])
    shared = {name: len(own & set(top)) for name, top in tops.items() if name != method}
    fewest = min(shared.values(), default=k)
    firsts = [top[0] for top in tops.values()]
    first = max(dict.fromkeys(firsts), key=firsts.count)
    same = [name for name, v in shared.items() if v == k]
    same_text = (
        f"none of the {len(shared)} other methods has the same {k}"
        if not same
        else f"{len(same)} of the {len(shared)} other methods ({', '.join(same)}) {'has' if len(same) == 1 else 'have'}"
        f" the same {k}"
    )
    return (
        f"{{numref}}`tbl-attribution-top5` sets each method's top {k} (of its shares averaged over the seeds) side by "
        f"side. The {method}'s {k} are {', '.join(tops[method])}; {same_text}, in any order, and the fewest shared "
        f"is {fewest} ({', '.join(n for n, v in shared.items() if v == fewest)}). "
        f"The most relevant variable is {first} for {firsts.count(first)} of the {len(tops)} methods."
    )


def wdbc_reference(ranks: Any, dataset: str, reference: Sequence[str], quote: str, citation: str, k: int = 5) -> str:
    """The published reference for the data, quoted, and where its variables land in each method's ranking."""
    quoted = f"> {quote}\n>\n> — {citation}\n\n"
    if len(ranks.index) < len(reference):
        return (
            "The breast-cancer data's own description names the variables of its best separating plane. This book "
            f"was built on `{dataset}`, where they are not all input variables, so there is no reference to compare."
        )
    if dataset != "breast_cancer":
        quoted += (
            f"This book was built on `{dataset}`, not on scikit-learn's copy of the data the reference describes; its "
            "variables carry the reference's names, so the reference is read in its rankings all the same. "
        )
    if ranks.empty:
        return quoted + "No method ranks anything here, so the reference's variables have no rank to report."
    parts = []
    for name in reference:
        row = ranks.loc[name]
        parts.append(
            f"{name} is ranked {int(row['learning gradient'])} by the learning gradient, {int(row.min())} to "
            f"{int(row.max())} across the {len(row)} methods, and is in the top {k} of "
            + (f"{int((row <= k).sum())} of them" if (row <= k).any() else "none of them")
        )
    all_in = [method for method in ranks.columns if (ranks[method] <= k).all()]
    every = (
        f"No method puts all three in its top {k}."
        if not all_in
        else f"{len(all_in)} of the {ranks.shape[1]} methods ({', '.join(all_in)}) "
        f"{'puts' if len(all_in) == 1 else 'put'} all three in {'its' if len(all_in) == 1 else 'their'} top {k}."
    )
    return quoted + (
        "The reference is a linear classifier's choice of the best three variables, found by an exhaustive search, "
        "not a ranking of all thirty. Read in each method's seed-mean ranking ({numref}`tbl-attribution-top5`): "
        + "; ".join(parts)
        + f". {every}"
    )


def randomization_paragraph(summary: Any, verdicts: dict[str, bool | None], study: Any) -> str:
    """The sanity check after Adebayo et al. (2018), from :func:`lgrad.study.randomization.randomization_summary`."""
    if summary["pairs"].sum() == 0:
        return (
            "No network learned, so there is no trained learning gradient to check: {numref}`fig-randomization` is "
            "empty."
        )

    def said(comparison: str) -> str:
        row = summary.loc[comparison]
        if row["pairs"] == 0:
            return f"{comparison}: no pair"
        return (
            f"{comparison}: mean ρ {row['mean spearman']:.2f} (from {row['min spearman']:.2f} to "
            f"{row['max spearman']:.2f}), mean L1 distance {100 * row['mean l1']:.1f} percentage points "
            f"({count(int(row['pairs']), 'pair')})"
        )

    compared = np.asarray(study.learned)
    idle = int((compared & ~np.asarray(study.shuffled_learned)).sum())
    shuffled = (
        f"The networks trained on shuffled labels reach a median test accuracy of "
        f"{percent(float(np.median(study.shuffled_test_accuracy[compared])))}, against a median "
        f"{percent(float(np.median(study.majority_share[compared])))} for always answering the majority class"
        + (
            f"; {idle} of them learned nothing and are left out of their comparison. "
            if idle
            else ", and every one of them ranks its inputs. "
        )
    )
    verdict = {True: "**passes**", False: "**fails**", None: "cannot be judged (no pair of trained seeds)"}
    return (
        "{numref}`fig-randomization` compares, seed by seed, the trained network's learning gradient at the last "
        "epoch with that of "
        + "; ".join(said(c) for c in summary.index)
        + ". "
        + shuffled
        + "The rule (`lgrad.study.randomization.passes`, written before the first run): the learning gradient passes "
        "a randomization when the "
        "randomized network's correlates less with the trained one's than another trained seed's does, and lies "
        f"farther from it in L1. By it the learning gradient {verdict[verdicts['model']]} the model randomization "
        f"check and {verdict[verdicts['data']]} the data randomization check."
    )


def agreement_caption(n_seeds: int) -> str:
    """The caption of ``fig-attribution-agreement``."""
    text = "Agreement of the rankings of the input variables: Spearman's ρ between every pair of methods, averaged over"
    if n_seeds == 0:
        return text + " the seeds whose network learned; none did, so the matrix is empty"
    return f"{text} {count(n_seeds, 'seed')} whose network learned"


def randomization_caption(n_seeds: int) -> str:
    """The caption of ``fig-randomization``."""
    text = (
        "Sanity check after Adebayo et al. (2018): above, the learning gradient of the trained networks, of the same "
        "architecture with fresh weights and of the networks trained on shuffled labels, averaged over the seeds; "
        "below, each seed's rank correlation and L1 distance between the trained network's learning gradient and the "
        "others'"
    )
    return text + ("; no network learned, so the figure is empty" if n_seeds == 0 else "")
