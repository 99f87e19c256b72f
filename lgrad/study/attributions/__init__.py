"""The learning gradient against established attributions: the chapter *Against established attributions*.

* :mod:`~lgrad.study.attributions.captum_methods`: Captum's post-hoc attributions of a trained network;
* :mod:`~lgrad.study.attributions.scores`: every method on one trained run, and the registry of methods;
* :mod:`~lgrad.study.attributions.study`: the chapter's networks, trained and scored;
* :mod:`~lgrad.study.attributions.agreement`: how far the methods agree, and their seed-mean top five;
* :mod:`~lgrad.study.attributions.randomization`: the sanity check after Adebayo et al. (2018);
* :mod:`~lgrad.study.attributions.text`: the chapter's sentences.
"""
