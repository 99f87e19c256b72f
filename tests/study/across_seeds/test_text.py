"""lgrad.study.across_seeds.text: the chapter's sentences follow the numbers, for a study that learned and one that did
not, and each branch on made-up numbers."""

from __future__ import annotations

import re

import numpy as np
import pytest

import lgrad
from lgrad.study import blocks, references, runs
from lgrad.study.across_seeds import study as across_study
from lgrad.study.across_seeds import summaries
from lgrad.study.across_seeds import text as seeds_text

REFERENCE = references.PAPER_TOP5


def study_found(**settings):
    study = across_study._compute(runs.run_settings({"epochs": 3, **settings}), 3, 4)
    return study, summaries.summaries(study, lgrad.load_dataset(), REFERENCE)


@pytest.fixture(scope="module")
def learned():
    return study_found()


@pytest.fixture(scope="module")
def nothing():
    return study_found(lr=1e6)


def every_sentence(study, found) -> str:
    book, small, same = found["book"], found["small"], found["same_split"]
    parts = [
        seeds_text.intro(study.first_seed, study.seeds),
        seeds_text.accuracy_paragraph(book, small, same),
        seeds_text.intervals_paragraph(book, small, same),
        seeds_text.cv_paragraph(book, study.cv.repeat_accuracy, study.cv.n_rows, "train"),
        seeds_text.chance_paragraph(book, small, same),
        seeds_text.ranking_paragraph(found["ranking"], REFERENCE),
        seeds_text.agreement_paragraph(found["ranking"]),
        seeds_text.sources_paragraph(found["sources"]),
        seeds_text.blocks_paragraph(found["block_reading"], found["ranking"], REFERENCE, len(found["blocks"])),
        seeds_text.convergence_paragraph(found["convergence"]),
        seeds_text.long_paragraph(found["long"]),
        seeds_text.choices(study.first_seed, study.seeds, 4, blocks.BLOCK_THRESHOLD),
    ]
    return "\n\n".join(parts)


def test_the_sentences_of_a_study_that_learned(learned):
    study, found = learned
    text = every_sentence(study, found)
    assert not re.search(r"\bnan\b", text, flags=re.IGNORECASE)
    assert "3 seeds, 0 to 2" in text
    assert f"{found['book']['perfect']} of the 3 seeds" in text
    assert "All 3 runs learned" in text
    assert "are trained for 4 epochs" in text and "They do:" in text
    for match in re.finditer(r"\bepoch (\d+)\b", text):
        assert int(match.group(1)) <= 3, "no epoch past the book's is named"


def test_the_sentences_of_a_study_that_learned_nothing(nothing):
    study, found = nothing
    assert found["ranking"]["n_learned"] == 0
    text = every_sentence(study, found)
    assert not re.search(r"\bnan\b", text, flags=re.IGNORECASE)
    assert "None of the 3 runs learned anything" in text
    assert "Rank agreement needs two runs that learned; this build has 0" in text
    assert "there is still nothing to compare: no run learned" in text
    assert "No run learned anything, so no learning gradient converges" in text
    assert "None of them learned anything" in text
    assert "Too few runs learned to compare the rankings" in text


def accuracy(perfect_share, expected, pvalue, n_test=114, cv=0.97, n_seeds=200):
    return {"n_test": n_test, "perfect_share": perfect_share, "expected_perfect": expected, "perfect_pvalue": pvalue,
            "cv": cv, "n_seeds": n_seeds}  # fmt: skip


def test_the_chance_paragraph_follows_the_binomial_test():
    agree = seeds_text.chance_paragraph(accuracy(0.065, 0.08, 0.5), accuracy(0.28, 0.28, 0.9, 57), False)
    assert "consistent with that chance" in agree and "not that the network is perfect" in agree
    few = seeds_text.chance_paragraph(accuracy(0.33, 0.03, 0.09, n_seeds=3), accuracy(0, 0, None), True)
    assert "but 3 seeds can show little either way." in few and "network is perfect" not in few
    differ = seeds_text.chance_paragraph(accuracy(0.3, 0.08, 0.001), accuracy(0.28, 0.28, 0.9, 57), False)
    assert "more often than that on 114 rows" in differ and "57 rows" not in differ.split("(observed")[-1]
    fewer = seeds_text.chance_paragraph(accuracy(0.0, 0.08, 0.001), accuracy(0.0, 0.0, None, 57), True)
    assert "less often than that on 114 rows" in fewer and "57" not in fewer
    none = seeds_text.chance_paragraph(accuracy(0.0, 1e-20, 1.0), accuracy(0.0, 1e-10, 1.0, 57), False)
    assert "less than 0.1 % on 114 rows" in none and "No seed reaches 100 %, which is what that chance predicts" in none
    perfect = seeds_text.chance_paragraph(accuracy(1.0, 1.0, None, cv=1.0), accuracy(1.0, 1.0, None), True)
    assert "no chance to compare with" in perfect


def source(sd, tau):
    return {"seeds": 50, "accuracy_sd": sd, "tau": tau}


@pytest.mark.parametrize(
    ("split_fixed", "init_fixed", "accuracy_words", "ranking_words"),
    [
        (source(0.0, 0.72), source(0.0115, 0.79), "the split drives the accuracy", "only the initialization varies"),
        (source(0.02, 0.80), source(0.005, 0.70), "the initialization drives the accuracy", "only the split varies"),
        (source(0.01, 0.70), source(0.012, 0.71), "both move it about as much", "about as much whichever"),
        (source(0.0, np.nan), source(0.0, 0.5), "neither moves it", "Too few runs learned"),
    ],
)
def test_the_sources_paragraph_names_what_moves_the_results(split_fixed, init_fixed, accuracy_words, ranking_words):
    found = {"both": source(0.0115, 0.65), "split_fixed": split_fixed, "init_fixed": init_fixed}
    text = seeds_text.sources_paragraph(found)
    assert accuracy_words in text and ranking_words in text


def test_the_long_paragraph_when_the_long_runs_are_not_longer():
    text = seeds_text.long_paragraph({"n_seeds": 3, "epochs": 40, "long_epochs": 30, "longer": False})
    assert "not longer than its runs (`long_epochs` = 30, `epochs` = 40)" in text


def test_agreement_words():
    assert [seeds_text.agreement_word(t) for t in (0.9, 0.65, 0.5, 0.3, 0.0)] == [
        "closely", "fairly well", "moderately", "weakly", "hardly",
    ]  # fmt: skip
