"""The paper's claims across many seeds: the chapter *Across seeds*, whose numbers the *Report* judges.

:mod:`~lgrad.study.across_seeds.study` trains the designs (one batched computation each) and the cross-validation
(:mod:`~lgrad.study.across_seeds.accuracy`); :mod:`~lgrad.study.across_seeds.seed_runs` holds what they keep and
:mod:`~lgrad.study.across_seeds.cache` stores it; :mod:`~lgrad.study.across_seeds.summaries` reads a study,
:mod:`~lgrad.study.across_seeds.tables` makes the book's tables and :mod:`~lgrad.study.across_seeds.text` its
sentences.
"""
