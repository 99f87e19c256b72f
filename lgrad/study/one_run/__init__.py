"""The paper's single run and its data: the chapters *The data*, *Method*, *Training*, *Reading the
paper* and *Per mini-batch*.

:mod:`~lgrad.study.one_run.describe` (the data chapter's tables), :mod:`~lgrad.study.one_run.metrics` (the confusion
counts), :mod:`~lgrad.study.one_run.sensitivity` (one setting changed at a time, and a seed sweep),
:mod:`~lgrad.study.one_run.minibatch` (the learning gradient per mini-batch), and their sentences in
:mod:`~lgrad.study.one_run.text`, one module per chapter. The convergence measures are shared
(:mod:`lgrad.study.convergence`).
"""
