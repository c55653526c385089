"""`python -m digest_tui`: the same as the `digest-tui` command."""

import sys

from .cli import main

if __name__ == "__main__":  # parsing processes import this module again
    sys.exit(main())
