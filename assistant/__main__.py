"""`python -m assistant` is the same as the `coordinator` command."""

import sys

from assistant.cli import main

sys.exit(main())
