"""The sentences of the chapter *Reading the paper*: the table of settings, the
sensitivity table, the seed sweep and the conclusions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ....defaults import DEFAULTS
from ...references import PAPER_EPOCHS, PAPER_LOSS
from ...text import count, percent


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
