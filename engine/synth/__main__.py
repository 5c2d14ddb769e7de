"""python -m engine.synth --out DIR ...: see engine/synth/cli.py."""
import sys

from .cli import main

sys.exit(main())
