"""``python -m hotfix_tui`` runs the same entry point as the ``hotfix`` command."""

import sys

from .cli import main

sys.exit(main())
