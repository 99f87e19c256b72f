"""The sentences of the chapter *Against established attributions*, chosen by the numbers they state."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..text import count, percent


def attribution_seeds(study: Any) -> str:
    """Which networks the chapter *Against established attributions* compares, and which it leaves out."""
    n, requested, learned = len(study.seeds), study.requested, sum(study.learned)
    span = f"seed {study.seeds[0]}" if n == 1 else f"seeds {study.seeds[0]}–{study.seeds[-1]}"
    which = (
        f"all {count(n, 'seed')} of the `seeds` parameter"
        if n == requested
        else f"the first {n} of the `seeds` parameter's {requested} (every method on every one of them would not "
        "fit the chapter's share of the build time, about 20 s on one thread; "
        "`lgrad.study.attributions.study.MAX_SEEDS`)"
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
    """The sanity check after Adebayo et al. (2018), from
    :func:`lgrad.study.attributions.randomization.randomization_summary`."""
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
        + "The rule (`lgrad.study.attributions.randomization.passes`, written before the first run): the learning "
        "gradient passes a randomization when the "
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
