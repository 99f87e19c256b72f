"""Image classifiers: the digits CNN's per-class maps (the chapter *A CNN learns digits*).

:mod:`~lgrad.study.images.class_maps` computes the maps and what they concentrate on; :mod:`~lgrad.study.images.text`
says it.
"""
