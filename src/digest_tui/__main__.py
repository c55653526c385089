"""`python -m digest_tui`: the same as the `digest-tui` command."""

import sys

from .cli import main

sys.exit(main())
