"""What the book asks of training runs: it reads runs, computes, and draws nothing.

One subpackage per question the book asks, each importing only the shared modules here (``lint-imports`` keeps
them independent; only :mod:`lgrad.study.claims` reads the others, to judge the paper's claims):

* :mod:`~lgrad.study.one_run`: the paper's single run and its data (chapters *The data*, *Method*, *Training*,
  *Reading the paper*, *Per mini-batch*);
* :mod:`~lgrad.study.across_seeds`: the claims across many seeds and a cross-validation (*Across seeds*);
* :mod:`~lgrad.study.attributions`: the learning gradient against established attributions (*Against established
  attributions*);
* :mod:`~lgrad.study.fewer_inputs`: retraining on the k most relevant variables (*Fewer inputs*);
* :mod:`~lgrad.study.images`: the digits CNN's class maps (*A CNN learns digits*);
* :mod:`~lgrad.study.own_data`: a reader's own table (*Your own data*, ``lgrad analyze``);
* :mod:`~lgrad.study.claims`: the verdicts on the paper's claims (*Report*).

Shared: :mod:`~lgrad.study.runs` (a run from its settings, cached), :mod:`~lgrad.study.references` (the external
facts, each once with its source), :mod:`~lgrad.study.text` (counts, percentages, guarded sentences),
:mod:`~lgrad.study.run_text` (sentences about one run that several chapters share), :mod:`~lgrad.study.blocks`
(blocks of correlated variables), :mod:`~lgrad.study.convergence` (the convergence measures and their criterion),
:mod:`~lgrad.study.rank_agreement` (how far rankings agree), :mod:`~lgrad.study.gradenfs` and
:mod:`~lgrad.study.permutation` (two scores both the attributions and the retraining use).
"""
