"""The paper's claims, each with a verdict chosen by a stated rule from the numbers of the study across seeds (the
chapter *Report*). It is the one group that reads the others.

* :mod:`~lgrad.study.claims.rules`: the verdict functions, their constants and their text;
* :mod:`~lgrad.study.claims.assess`: the study's summaries made into :class:`~lgrad.study.claims.assess.Claim` rows;
* :mod:`~lgrad.study.claims.text`: the report's other sentences.
"""
