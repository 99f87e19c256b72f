"""Fewer inputs: retraining on the k most relevant variables of each ranking (the chapter *Fewer
inputs*).

:mod:`~lgrad.study.fewer_inputs.rankings` (the rankings compared), :mod:`~lgrad.study.fewer_inputs.retraining` (the
kept-k data sets and the retraining), :mod:`~lgrad.study.fewer_inputs.summaries` (means, standard errors, the
smallest k) and :mod:`~lgrad.study.fewer_inputs.text` (the chapter's sentences).
"""
