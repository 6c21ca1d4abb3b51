"""The frozen app's entry script: the same `main` as the `readinglist` command."""

import multiprocessing
import sys

from readinglist.cli import main

if __name__ == "__main__":
    # A rebuild of the index indexes in spawned processes, which start by
    # running this script again: freeze_support makes them workers, not apps.
    multiprocessing.freeze_support()
    sys.exit(main())
