"""`python -m engine ...`: the same as the `screendirector` command."""
from .cli import run

if __name__ == "__main__":
    run()
