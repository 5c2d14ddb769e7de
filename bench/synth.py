"""`screendirector bench synth`: the synthetic corpus generator, which lives in the package (engine.synth) so
that `demo` and model training can use it from an installed wheel."""
from __future__ import annotations

from engine.synth.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
