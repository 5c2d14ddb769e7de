"""ffmpeg is found in order (configured, system, imageio-ffmpeg); a bad configured path is an error."""
from __future__ import annotations

import pytest

from engine.media.ffmpeg import FfmpegMissing, find_ffmpeg


def test_finds_a_working_ffmpeg():
    import subprocess
    exe = find_ffmpeg()
    assert subprocess.run([exe, "-version"], capture_output=True).returncode == 0


def test_a_configured_path_that_does_not_run_is_refused(tmp_path):
    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    with pytest.raises(FfmpegMissing, match="configured ffmpeg does not run"):
        find_ffmpeg(str(fake))


def test_a_configured_path_wins(tmp_path):
    real = find_ffmpeg()
    wrapper = tmp_path / "my-ffmpeg"
    wrapper.write_text(f'#!/bin/sh\nexec "{real}" "$@"\n')
    wrapper.chmod(0o755)
    assert find_ffmpeg(str(wrapper)) == str(wrapper)
