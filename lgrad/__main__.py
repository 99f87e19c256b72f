"""``python -m lgrad``: the same as the ``lgrad`` command (see :mod:`lgrad.book.cli`)."""

import sys

from .book.cli import main

sys.exit(main())
