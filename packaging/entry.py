"""The frozen app's entry script: the same `main` as the `readinglist` command."""

import sys

from readinglist.cli import main

if __name__ == "__main__":
    sys.exit(main())
