"""The sentences of the chapter *Across seeds*, chosen by the numbers of
:mod:`lgrad.study.across_seeds.summaries` they state.

Every function takes summaries already computed (``accuracy_summary``, ``ranking_summary``, ``block_summary``,
``convergence_over_seeds``, ``long_summary``, ``sources``) and returns MyST Markdown; none trains or measures. Each
holds for any parameters: few seeds, a run that learned nothing, a long run that is not longer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..convergence import SETTLE_RATIO
from ..text import count, percent
from .accuracy import LEVEL
from .study import CV_REPEATS, CV_SPLITS, LONG_SEEDS, SMALL_TEST_SIZE, SOURCE_SEEDS
from .summaries import BAND

PREFIX_TOLERANCE = 1e-6
"""Two learning gradients this close (each share, as a fraction) are the same run, up to the batched products'
rounding."""
SIGNIFICANCE = 0.05
"""The level of the binomial test of the seeds at 100 % against chance."""
FEW_SEEDS = 30
"""Below this many seeds, a test that finds no difference is said to show little."""


def _pp(share: float, digits: int = 1) -> str:
    return f"{100 * share:.{digits}f} percentage points"


def chance(share: float) -> str:
    """A probability as a percentage, ``less than 0.1 %`` rather than a misleading ``0.0 %``."""
    return percent(share) if share >= 0.0005 or share == 0 else "less than 0.1 %"


def verb(n: int, singular: str, plural: str) -> str:
    """``1 has``, ``3 have``: the count and its verb."""
    return f"{n} {singular if n == 1 else plural}"


def _names(names: Sequence[str]) -> str:
    names = list(names)
    if not names:
        return "none"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def intro(first: int, seeds: int) -> str:
    """What the chapter trains."""
    return (
        f"One run can agree or disagree with the paper by chance. This chapter trains the book's network "
        f"({{ref}}`chap-training`, with the parameters below) for {count(seeds, 'seed')}, {first} to "
        f"{first + seeds - 1}: each seed draws its own train/test split, initial weights and example order, as the "
        "base run does with its seed. The seeds are trained side by side in one batched computation "
        "(`lgrad.train_many`), which gives each seed what a run of its own (`lgrad.train`) gives it; the numbers are "
        "computed once per build and shared with {ref}`chap-report`."
    )


def accuracy_paragraph(book: Mapping[str, Any], small: Mapping[str, Any], same_split: bool) -> str:
    """How often the seeds reach 100 %, on the book's split and on the 10 % split."""
    text = (
        f"On the book's test split of {book['n_test']} rows, {book['perfect']} of the {book['n_seeds']} seeds "
        f"({percent(book['perfect_share'])}) {'reaches' if book['perfect'] == 1 else 'reach'} 100 % test accuracy "
        f"after the last of {book['epochs']} epochs; "
        f"the accuracies range from {percent(book['min'])} to {percent(book['max'])}, median "
        f"{percent(book['median'])} ({{numref}}`fig-seed-accuracy`). "
    )
    if same_split:
        return text + f"The book's split already holds {percent(SMALL_TEST_SIZE, 0)} of the rows for testing."
    return text + (
        f"Holding out {percent(SMALL_TEST_SIZE, 0)} of the rows instead ({small['n_test']} test rows), "
        f"{small['perfect']} of the {small['n_seeds']} seeds ({percent(small['perfect_share'])}) "
        f"{'reaches' if small['perfect'] == 1 else 'reach'} 100 %: "
        f"with fewer test rows there are fewer rows to get wrong."
    )


def intervals_paragraph(book: Mapping[str, Any], small: Mapping[str, Any], same_split: bool) -> str:
    """What one test score can say: the Clopper–Pearson intervals."""
    level = percent(LEVEL, 0)
    text = (
        f"A test score counts rows. Read as {book['n_test']} independent trials, {book['n_test']} of "
        f"{book['n_test']} right is consistent (exact Clopper–Pearson {level} interval) with a true accuracy as low "
        f"as {percent(book['perfect_low'])}"
    )
    if not same_split:
        text += f", and {small['n_test']} of {small['n_test']} with one as low as {percent(small['perfect_low'])}"
    contained = book["ci_contains_cv"] + (0 if same_split else small["ci_contains_cv"])
    runs = book["n_seeds"] * (1 if same_split else 2)
    return text + (
        f". Each run's own interval is drawn in the lower panels of {{numref}}`fig-seed-accuracy`: {contained} of "
        f"these {runs} intervals hold the cross-validated estimate below."
    )


def cv_paragraph(book: Mapping[str, Any], repeat_accuracy: np.ndarray, n_rows: int, scale: str) -> str:
    """The cross-validated estimate and its interval."""
    fitted = "its own training rows" if scale == "train" else "all rows, as this build's `scale` asks"
    return (
        f"Repeated stratified cross-validation tests every row: {CV_REPEATS} repetitions of {CV_SPLITS} folds "
        f"(scikit-learn's `RepeatedStratifiedKFold`), each fold standardized on {fitted}, "
        f"{count(CV_REPEATS * CV_SPLITS, 'network')} trained with the book's settings. It estimates the accuracy at "
        f"**{percent(book['cv'])}**, with a {percent(LEVEL, 0)} interval of {percent(book['cv_low'])} to "
        f"{percent(book['cv_high'])} (Clopper–Pearson over the {n_rows} rows: a repetition tests the same rows "
        f"again, so it adds no independent trials); the {CV_REPEATS} repetitions range from "
        f"{percent(float(np.min(repeat_accuracy)))} to {percent(float(np.max(repeat_accuracy)))}."
    )


def chance_paragraph(book: Mapping[str, Any], small: Mapping[str, Any], same_split: bool) -> str:
    """How often a perfect score should come by chance at the cross-validated accuracy, against how often it did."""
    splits = [book] if same_split else [book, small]
    parts = [
        f"{chance(s['expected_perfect'])} on {s['n_test']} rows (observed: {percent(s['perfect_share'])})"
        for s in splits
    ]
    text = (
        f"If every test row were an independent trial at the cross-validated accuracy $p$, a perfect score would "
        f"come with probability $p^n$: {' and '.join(parts)}. "
    )
    tested = [s for s in splits if s["perfect_pvalue"] is not None]
    if not tested:
        return text + "At an estimate of exactly 0 or 100 % there is no chance to compare with."
    agree = [s for s in tested if s["perfect_pvalue"] >= SIGNIFICANCE]
    if len(agree) == len(tested):
        if not any(s["perfect_share"] for s in splits):
            return text + "No seed reaches 100 %, which is what that chance predicts."
        text += (
            f"The seeds' perfect scores are consistent with that chance (a two-sided binomial test finds no "
            f"difference at the {percent(SIGNIFICANCE, 0)} level)"
        )
        if book["n_seeds"] < FEW_SEEDS:
            return text + f", but {count(book['n_seeds'], 'seed')} can show little either way."
        if book["cv"] < 1:
            return text + (
                ": a perfect test score here says which rows landed in the test set, not that the network is perfect."
            )
        return text + "."
    differ = [s for s in tested if s["perfect_pvalue"] < SIGNIFICANCE]
    words = [
        f"{'more' if s['perfect_share'] > s['expected_perfect'] else 'less'} often than that on {s['n_test']} rows"
        for s in differ
    ]
    return text + (
        f"The seeds reach 100 % {' and '.join(words)} (a two-sided binomial test, {percent(SIGNIFICANCE, 0)} level): "
        "the test rows of one split are not independent trials at one accuracy."
    )


def _learned_clause(ranking: Mapping[str, Any]) -> str:
    n, learned = ranking["n_seeds"], ranking["n_learned"]
    if learned == n:
        return f"All {n} runs learned"
    return (
        f"{learned} of the {n} runs learned; the other {count(n - learned, 'run')} learned nothing (their last "
        "epoch's learning gradient is zero or not finite), count for accuracy above and are left out of every ranking"
    )


def ranking_paragraph(ranking: Mapping[str, Any], reference: Sequence[str]) -> str:
    """Which variables the runs rank in their top five, against the paper's five."""
    n, k = ranking["n_learned"], ranking["k"]
    if not n:
        return (
            f"None of the {ranking['n_seeds']} runs learned anything (each last epoch's learning gradient is zero or "
            "not finite), so no run ranks the variables: the figures of this section and the next are empty."
        )
    frequency = ranking["frequency"]
    half = [name for name in frequency.index if frequency[name] >= n / 2]
    counts = ranking["overlap_counts"]
    spread = ", ".join(f"{verb(int(c), 'holds', 'hold')} {i}" for i, c in enumerate(counts) if c)
    exact = ranking["exact_set"]
    text = (
        f"{_learned_clause(ranking)}. Their top {k} after the last epoch takes {count(ranking['n_sets'], 'form')} "
        f"(as sets); the most common, {_names(ranking['common_set'])}, is the top {k} of "
        f"{count(ranking['common_count'], 'run')}. The variables in the top {k} of at least half of the runs are "
        f"{_names(half)} ({{numref}}`fig-seed-top5`, {{numref}}`tbl-seed-ranking`). Against the paper's five "
        f"({_names(reference)}): of the {count(n, 'run')}, {spread}; {verb(exact, 'has', 'have')} exactly the "
        "paper's set"
    )
    if exact:
        text += f", {ranking['exact_order']} of them in the paper's order"
    return text + (
        f". Averaging the last epoch's learning gradient over the runs first gives the top {k} "
        f"{_names(ranking['mean_top'])}, {ranking['mean_top_overlap']} of them in the paper's list."
    )


def agreement_word(tau: float) -> str:
    """How closely rankings agree, from a Kendall τ."""
    for bound, word in ((0.8, "closely"), (0.6, "fairly well"), (0.4, "moderately"), (0.2, "weakly")):
        if tau >= bound:
            return word
    return "hardly"


def agreement_paragraph(ranking: Mapping[str, Any]) -> str:
    """How far the runs' rankings of all variables agree: Kendall's τ and W."""
    n = ranking["n_learned"]
    if n < 2:
        return f"Rank agreement needs two runs that learned; this build has {n}, so Kendall's τ and W are not computed."
    return (
        f"Over all {ranking['frequency'].size} variables, the rankings of the runs agree "
        f"{agreement_word(ranking['tau'])}: the mean Kendall τ over the {n * (n - 1) // 2} pairs of runs is "
        f"{ranking['tau']:.2f} (1: the same order, 0: unrelated orders), and Kendall's W over the {n} runs is "
        f"{ranking['w']:.2f} (1: every run ranks alike; it is about the mean Spearman correlation between runs, "
        "for many runs)."
    )


def sources_paragraph(found: Mapping[str, Mapping[str, Any]]) -> str:
    """Whether the split or the initialization moves the accuracy and the ranking."""
    split_fixed, init_fixed, both = found["split_fixed"], found["init_fixed"], found["both"]
    n = split_fixed["seeds"]
    text = (
        f"To tell the two apart, the first {count(n, 'seed')} (at most {SOURCE_SEEDS}, for the build's time) are "
        f"trained twice more: once on the first seed's split with each seed's initialization and order, once with "
        f"the first seed's initialization and order on each seed's split ({{numref}}`tbl-seed-sources`). "
        f"The test accuracy's standard deviation over the seeds is {_pp(split_fixed['accuracy_sd'], 2)} with the "
        f"split fixed, {_pp(init_fixed['accuracy_sd'], 2)} with the initialization fixed and "
        f"{_pp(both['accuracy_sd'], 2)} with both varying: "
    )
    a, b = split_fixed["accuracy_sd"], init_fixed["accuracy_sd"]
    if a == b == 0:
        text += "neither moves it. "
    elif a <= b / 2:
        text += "the split drives the accuracy (which rows are tested matters more than where training starts). "
    elif b <= a / 2:
        text += "the initialization drives the accuracy more than the split. "
    else:
        text += "both move it about as much. "
    tau_init, tau_split = split_fixed["tau"], init_fixed["tau"]  # τ when only the initialization / the split varies
    if not (np.isfinite(tau_init) and np.isfinite(tau_split) and np.isfinite(both["tau"])):
        return text + "Too few runs learned to compare the rankings."
    if abs(tau_init - tau_split) < 0.03:
        ranking = "the rankings vary about as much whichever of the two varies"
    elif tau_init < tau_split:
        ranking = "the rankings vary more when only the initialization varies than when only the split does"
    else:
        ranking = "the rankings vary more when only the split varies than when only the initialization does"
    return text + (
        f"For the ranking, {ranking}: the mean Kendall τ is {tau_init:.2f} with the split fixed, {tau_split:.2f} "
        f"with the initialization fixed and {both['tau']:.2f} with both varying."
    )


def blocks_paragraph(blocks: Mapping[str, Any], ranking: Mapping[str, Any], reference: Sequence[str],
                     n_blocks: int) -> str:  # fmt: skip
    """The top five read as blocks of correlated variables, against the paper's five."""
    n, units = blocks["n_learned"], blocks["reference_units"]
    intro_text = (
        f"The data chapter finds {count(n_blocks, 'block')} of strongly correlated variables "
        "({ref}`sec-correlation`); inside a block the variables are near-duplicates, and a network can lean on any "
        "of them. Reading each variable as its block (a variable outside every block stands for itself), "
    )
    if not n:
        return intro_text + "there is still nothing to compare: no run learned."
    if len(units) == len(set(reference)):
        where = "the paper's five fall in five different units, so reading them as blocks changes nothing for them"
    else:
        where = f"the paper's five fall in {count(len(units), 'unit')}: {_names(units)}"
    covers, same = blocks["covers_all"], blocks["same_units"]
    return intro_text + (
        f"{where}. {covers} of the {count(n, 'run')} that learned {'reaches' if covers == 1 else 'reach'} every one "
        "of them "
        f"({{numref}}`fig-seed-blocks`), where {ranking['exact_set']} have the paper's five variables and a run holds "
        f"{blocks['variable_overlap_mean']:.1f} of them on average; {verb(same, 'falls', 'fall')} in exactly these "
        "units and no other. "
        f"At the level of blocks, the paper's list {'agrees' if covers >= n / 2 else 'does not agree'} with most "
        "runs."
    )


def convergence_paragraph(conv: Mapping[str, Any]) -> str:
    """Whether the bars settle over the book's epochs, across the runs."""
    n, epochs = conv["n_learned"], conv["epochs"]
    if not n:
        return "No run learned anything, so no learning gradient converges: the panels are empty."
    step = conv["step_mean"]
    median_from = int(np.median(conv["final_from"]))
    return (
        f"The bars settle, by the criterion of {{ref}}`sec-convergence` (the mean change over the last steps at most "
        f"{SETTLE_RATIO:g} times that over the first), in {conv['settle']} of the {count(n, 'run')} that learned "
        f"({{numref}}`fig-seed-convergence`). From epoch 1 to epoch 2 they move by {_pp(step[1])} on average; from "
        f"epoch {epochs - 1} to epoch {epochs}, by {_pp(step[-1], 2)}. The top five still changes at that last step "
        f"in {conv['moved_last']} of the runs, and half of the runs reach their final top five for good by epoch "
        f"{median_from}."
    )


def long_paragraph(long: Mapping[str, Any]) -> str:
    """Where the ranking goes in the long runs; never names an epoch past the book's."""
    n, epochs, long_epochs = long["n_seeds"], long["epochs"], long["long_epochs"]
    if not long["longer"]:
        return (
            f"This build's long runs are not longer than its runs (`long_epochs` = {long_epochs}, `epochs` = "
            f"{epochs}), so it cannot say where the ranking goes after the last epoch."
        )
    learned = long["n_learned"]
    text = (
        f"To see where the ranking goes, the first {count(n, 'seed')} (at most {LONG_SEEDS}, for the build's time) "
        f"are trained for {long_epochs} epochs. "
    )
    if not learned:
        return text + "None of them learned anything, so there is no ranking to follow."
    text += (
        f"`lgrad.training.epoch_orders` draws the epochs' orders one after another from the seed's own stream, so "
        f"the first {epochs} epochs of a long run should repeat its {epochs}-epoch run. "
    )
    if long["prefix_same_top"] == learned and long["prefix_max_diff"] <= PREFIX_TOLERANCE:
        agree = (
            "exactly"
            if long["prefix_max_diff"] == 0
            else f"to within {long['prefix_max_diff']:.0e} (the rounding of the batched products)"
        )
        text += (
            f"They do: the learning gradients agree {agree}, and all {count(learned, 'run')} have the same top five "
            f"at epoch {epochs}. "
        )
    else:
        text += (
            f"They do not quite: the learning gradients differ by up to {long['prefix_max_diff']:.2g}, and "
            f"{long['prefix_same_top']} of the {learned} runs have the same top five at epoch {epochs}. "
        )
    overlap = float(np.average(np.arange(len(long["overlap_counts"])), weights=long["overlap_counts"]))
    step = long["convergence"]["step_mean"]
    at_book, at_end = float(step[epochs - 1]), float(step[-1])
    return text + (
        f"At the end of the {long_epochs} epochs, {long['kept']} of the {learned} runs still "
        f"{'has' if long['kept'] == 1 else 'have'} the top five of epoch {epochs}, and a run keeps {overlap:.1f} of "
        "those five on average. The bars still move by "
        f"{_pp(at_end, 2)} per epoch at the end, against {_pp(at_book, 2)} at epoch {epochs}, and the top five "
        f"changes at the very last step in {long['moved_last']} of the runs: the learning gradient "
        f"{'slows down' if at_end < at_book else 'does not slow down'}, and the ranking at epoch {epochs} is "
        f"{'mostly' if long['kept'] >= learned / 2 else 'not'} where it ends."
    )


def choices(first: int, seeds: int, long_epochs: int, threshold: float) -> str:
    """The settings of this chapter that the paper and the issue left open, as a Markdown list."""
    return "\n".join(
        [
            f"- **Seeds**: {first} to {first + seeds - 1} (the parameters `seed` and `seeds`), taken in order; none "
            "was searched or left out.",
            f"- **The second split**: {percent(SMALL_TEST_SIZE, 0)} of the rows for testing, a common smaller choice "
            "(the sensitivity table of {ref}`chap-reading` tries it too); the fewer test rows, the likelier a perfect "
            "score.",
            f"- **Cross-validation**: {CV_REPEATS} × {CV_SPLITS} stratified folds with a random state drawn from "
            f"`seed`; fold $i$ (0 to {CV_REPEATS * CV_SPLITS - 1}) is trained with seed `seed` + $i$.",
            f"- **Split or initialization**: the first {min(seeds, SOURCE_SEEDS)} seeds in each design (at most "
            f"{SOURCE_SEEDS}).",
            f"- **Long runs**: the first {min(seeds, LONG_SEEDS)} seeds (at most {LONG_SEEDS}), for {long_epochs} "
            "epochs (the parameter `long_epochs`).",
            f"- **Bands**: the {BAND[0]}th to the {BAND[1]}th percentile over the runs.",
            f"- **Blocks**: variables joined by chains of correlations of at least {threshold} in absolute value, as "
            "in the data chapter.",
            "- **Runs that learned nothing**: counted for accuracy, left out of every ranking and of convergence.",
        ]
    )
