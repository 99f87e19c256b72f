"""``python -m lgrad``: the same as the ``lgrad`` command (see :mod:`lgrad.cli`)."""

import sys

from .cli import main

sys.exit(main())
