"""`python -m tradewind` runs the `tradewind` command."""

import sys

from tradewind.cli import main

sys.exit(main())
