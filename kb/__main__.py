"""Command line: ``python -m kb build|search|item|stats|corrections``."""

from kb.cli import main

raise SystemExit(main())
