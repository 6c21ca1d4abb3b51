"""`python -m readinglist`: the same entry point as the `readinglist` command."""

import sys

from readinglist.cli import main

if __name__ == "__main__":
    sys.exit(main())
