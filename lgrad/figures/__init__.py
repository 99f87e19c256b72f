"""Figures and tables: draw what :mod:`lgrad.study` computed and save each with its numbers and provenance.

Nothing here trains a model or computes a new result."""
