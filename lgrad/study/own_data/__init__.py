"""A reader's own table: the chapter *Your own data* and the study part of ``lgrad analyze``
(:mod:`lgrad.analyze`).

:mod:`~lgrad.study.own_data.ranking` (the final ranking of the input variables), :mod:`~lgrad.study.own_data.command`
(the settings a run on one's own table takes, and the command that repeats it) and :mod:`~lgrad.study.own_data.text`
(the sentences that report the run). Nothing here trains: every function reads a :class:`lgrad.History` and its
:class:`lgrad.Dataset`. A run that learned nothing is said so and never ranked.
"""
