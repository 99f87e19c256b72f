"""The sentences of the chapter *Fewer inputs*, chosen by the numbers they state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..references import WDBC_PLANE_FEATURES
from .rankings import LEARNING_GRADIENT, RANDOM, phrase, phrases
from .summaries import TOLERANCE, _mean_se


def _pct(share: float) -> str:
    return f"{100 * share:.1f} %"


def _pp(share: float) -> str:
    return f"{100 * share:.2f} percentage points"


def _plural(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def rankings_sentence(names: Sequence[str], missing: Mapping[str, str]) -> str:
    """Which rankings this run has, and why the others rank nothing."""
    if not missing:
        return f"All {len(names)} rankings order the variables for this run."
    gone = "; ".join(f"{phrase(name)} ranks nothing: {why}" for name, why in missing.items())
    return (
        f"{_plural(len(names), 'ranking')} of {len(names) + len(missing)} {'orders' if len(names) == 1 else 'order'} "
        f"the variables for this run; {gone}. "
        "A ranking that ranks nothing is left out of the figure and the table."
    )


def networks_sentence(table: pd.DataFrame, full: pd.DataFrame) -> str:
    """How many networks were trained, and how many learned nothing (they are kept in the curves)."""
    points, distinct = len(table), int(table["network"].nunique())
    nothing = int((~table.drop_duplicates("network")["learned"]).sum())
    full_nothing = int((~full["learned"]).sum())
    trained = (
        f"The retraining has {points} (ranking, k, seed) points; where two rankings keep the same variables for "
        f"the same seed the network is trained once, so {distinct} networks were trained, besides the "
        f"{_plural(len(full), 'full-input network')}."
    )
    if nothing == 0 and full_nothing == 0:
        return trained + (
            " Every one of them learned: none ends with a zero or non-finite gradient of its cost with respect to the "
            "inputs."
        )
    return (
        f"{trained} Of them, {nothing} of the {distinct} retrained networks and {full_nothing} of the {len(full)} "
        "full-input ones learned nothing (the gradient of the cost with respect to the inputs is zero or not finite "
        "after training). They are kept in the means with the test accuracy they reach, since that is what "
        "training on those variables gave."
    )


def full_sentence(full: pd.DataFrame) -> str:
    """The full model's mean accuracy and its standard error, and what "within one standard error" means here."""
    mean, se, n = _mean_se(full["test_accuracy"])
    text = (
        f"With all {int(full['k'].iloc[0])} variables, the {n} networks reach a mean test accuracy of {_pct(mean)} "
        f"(standard error {_pp(se)})."
    )
    if se <= TOLERANCE:
        text += (
            " Every seed gets the same test accuracy on this split (the seeds change only the initial weights and "
            "the order of the examples), so here within one standard error means at least as accurate as the "
            "full model."
        )
    if not full["learned"].any():
        text += (
            " None of them learned anything, so matching them is no achievement: the smallest k below says nothing "
            "about which variables matter."
        )
    return text


def smallest_k_sentence(ktable: pd.DataFrame, n_features: int) -> str:
    """Each ranking's smallest k within one standard error of the full model, the fewest, and the random order's."""
    if ktable.empty:
        return "No ranking orders the variables for this run, so nothing is retrained."
    found = ktable.dropna(subset=["smallest k"])
    listed = "; ".join(
        f"{phrase(row['ranking'])}, {'never' if pd.isna(row['smallest k']) else 'k = ' + str(int(row['smallest k']))}"
        for _, row in ktable.iterrows()
    )
    text = f"The smallest k within one standard error of the full model: {listed}."
    if found.empty:
        return text + " No ranking comes that close with fewer variables than all of them."
    fewest = int(found["smallest k"].min())
    best = found[found["smallest k"] == fewest]["ranking"].tolist()
    if fewest >= n_features:
        text += f" No ranking gets there with fewer than all {n_features} variables."
    else:
        text += f" The fewest variables, {fewest} of {n_features}, are needed by {phrases(best)}."
    dips = ktable[ktable["smallest k"].notna() & ~ktable["stays within"].astype(bool)]["ranking"].tolist()
    if dips:
        text += (
            f" For {phrases(dips)}, some larger k falls below the full model's band again: there the smallest k is "
            "where the curve first arrives, not where it stays."
        )
    return text


def published_sentence(published: pd.DataFrame | None, full: pd.DataFrame, at_three: pd.DataFrame) -> str:
    """The three published variables retrained alone, against the full model and against each ranking's top three.

    Args:
        published: the published three's networks (rows of :func:`retrain`), or ``None`` for another data set.
        full: the full-input networks (:func:`full_table`).
        at_three: :func:`curves` rows of the rankings at k = 3.
    """
    names = ", ".join(WDBC_PLANE_FEATURES)
    if published is None:
        return f"This data set does not hold the three published variables ({names}), so they are not retrained."
    mean, se, _ = _mean_se(published["test_accuracy"])
    full_mean, full_se, _ = _mean_se(full["test_accuracy"])
    within = mean >= full_mean - full_se - TOLERANCE
    better = at_three[at_three["mean"] > mean + TOLERANCE]["ranking"].tolist()
    text = (
        f"Retrained on exactly the three variables of the data's original description ({names}), the networks "
        f"reach a mean test accuracy of {_pct(mean)} (standard error {_pp(se)}): "
        f"{'within' if within else 'not within'} one standard error of the full model's {_pct(full_mean)}. "
    )
    if better:
        text += f"At k = 3, the top three of {phrases(better)} do better than the published three"
    else:
        text += "At k = 3, no ranking's top three does better than the published three"
    worse = at_three[at_three["mean"] < mean - TOLERANCE]["ranking"].tolist()
    if worse:
        text += f"; those of {phrases(worse)} do worse"
    if not published["learned"].any():
        text += ". None of the networks on the published three learned anything"
    return text + "."


def true_k_sentence(check: pd.DataFrame | None, ranking: str | None, n_features: int) -> str:
    """What building the networks with only k inputs (their own fan-in) changes, from :func:`true_k_check`."""
    if check is None or check.empty:
        return "No ranking other than the random one orders the variables here, so this check is not made."
    se = np.sqrt(check["masked se"] ** 2 + check["true se"] ** 2)
    ratio = np.where(se > TOLERANCE, check["difference"].abs() / np.where(se > TOLERANCE, se, 1.0), np.inf)
    ratio = np.where(check["difference"].abs() <= TOLERANCE, 0.0, ratio)
    ks = ", ".join(str(int(k)) for k in check["k"])
    diffs = ", ".join(f"{100 * d:+.2f}" for d in check["difference"])
    text = (
        f"Networks built with only k inputs, their initial weights drawn from ±1/√k rather than ±1/√{n_features}, "
        f"trained with the same seeds on the top k of {phrase(ranking)} at k = {ks}, differ in mean test accuracy from "
        f"the networks with the other columns set to 0 by {diffs} percentage points. "
    )
    beyond = check["k"][ratio > 2].tolist()
    if not beyond:
        return text + (
            "Each difference is within two standard errors of the difference: the range of the initial weights "
            "does not change the curves by more than their noise at the k checked."
        )
    return text + (
        f"At k = {', '.join(str(int(k)) for k in beyond)} the difference is more than two standard errors of the "
        "difference: there the range of the initial weights matters, and the curves are those of networks "
        f"initialized for {n_features} inputs."
    )


def aim_sentence(ktable: pd.DataFrame, n_features: int) -> str:
    """The paper's first aim, input simplification, judged by the smallest k of its learning gradient against a
    random order and against the ranking that needs the fewest variables."""
    k = ktable.set_index("ranking")["smallest k"]
    lg, rnd = k.get(LEARNING_GRADIENT), k.get(RANDOM)
    if lg is None:
        return (
            "The base run learned nothing, so its learning gradient ranks no variable and simplifies nothing here; "
            "the other rankings are in the table."
        )
    if pd.isna(lg):
        return "The learning gradient of one run never comes within one standard error of the full model here."
    text = f"The learning gradient of one run, the paper's ranking, keeps the full model's accuracy with {int(lg)} of "
    text += f"the {n_features} variables"
    if rnd is not None and not pd.isna(rnd):
        if lg < rnd:
            text += f", fewer than a random order needs ({int(rnd)}): it does simplify the inputs"
        else:
            text += f", no fewer than a random order needs ({int(rnd)}): here it simplifies no better than chance"
    best = k.dropna()
    fewest = int(best.min())
    if fewest < lg:
        verb = "needs" if (best == fewest).sum() == 1 else "need"
        text += f". {_capital(phrases(list(best[best == fewest].index)))} {verb} only {fewest}"
    else:
        text += ". No other ranking needs fewer"
    return text + "."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
