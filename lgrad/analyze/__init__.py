"""``lgrad analyze``, the application for a reader's own table: it reads the file, trains, draws and writes a folder.

It sits beside :mod:`lgrad.book` at the top of the layers: it uses the method, the study and the figures, and nothing
below imports it. :func:`analyze` is the entry point; :class:`DataError` is every defect of the reader's file.
"""

from .app import DEFAULT_ROOT, DataError, analyze

__all__ = ["DEFAULT_ROOT", "DataError", "analyze"]
