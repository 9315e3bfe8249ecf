"""``python -m communitykit``."""

import sys

from communitykit.cli import main

if __name__ == "__main__":
    sys.exit(main())
