"""A real tmux pane (160×48) for timing what a person waits for: start a program, wait for text on
screen, type keys, read the program's peak resident size. Stdlib only; used by bench/run.py.

The approach is that of ../shared/tools/firstpaint.py (a private tmux server, `respawn-pane`, poll
`capture-pane` every 10 ms), plus: the command is given as separate arguments, so tmux execs it
directly and `#{pane_pid}` is the program's own process (its /proc/<pid>/status has VmHWM).
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import time
from collections.abc import Mapping, Sequence

WIDTH, HEIGHT = 160, 48
POLL = 0.01
_serial = itertools.count()


def proc_status_kb(pid: int, field: str) -> int | None:
    """A `kB` field of /proc/<pid>/status (VmHWM: peak resident size, VmRSS: resident now)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def _exit_status(pid: int) -> str | None:
    """None while the process runs; once it has exited, its status ("0", "signal 9") when the kernel
    still has it (a zombie: field 52 of /proc/<pid>/stat), else "" (reaped)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return ""
    if fields[0] not in ("Z", "X"):
        return None
    try:
        code = int(fields[49])  # field 52 counted from the state, field 3
    except (IndexError, ValueError):
        return ""
    return f"signal {code & 0x7F}" if code & 0x7F else str(code >> 8)


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                kids += [int(k) for k in handle.read().split()]
    except OSError:
        pass
    return kids


def _is_python(pid: int) -> bool:
    try:
        return "python" in os.path.basename(os.readlink(f"/proc/{pid}/exe"))
    except OSError:
        return False


class Pane:
    """One private tmux server with one 160×48 pane; use as a context manager (the server is killed on exit)."""

    def __init__(
        self, width: int = WIDTH, height: int = HEIGHT, cwd: str | None = None, env: Mapping[str, str] | None = None
    ) -> None:
        """`env`: the whole environment of the tmux server, which the programs in the pane inherit."""
        self.name = f"dtbench{os.getpid()}x{next(_serial)}"
        self.tmux = ["tmux", "-L", self.name, "-f", "/dev/null"]
        self.cwd = cwd
        self.t0 = 0.0
        self.screen = ""
        self.match: re.Match | None = None
        subprocess.run(
            self.tmux + ["new-session", "-d", "-x", str(width), "-y", str(height), "-s", self.name, "sleep 3600"],
            check=True, cwd=cwd, env=dict(env) if env is not None else None,
        )  # fmt: skip
        self._tmux("set-option", "-t", self.name, "remain-on-exit", "on")

    def _tmux(self, *args: str) -> str:
        return subprocess.run(self.tmux + list(args), check=True, capture_output=True, text=True).stdout

    def __enter__(self) -> Pane:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        subprocess.run(self.tmux + ["kill-server"], capture_output=True)

    def start(self, argv: Sequence[str], env: Mapping[str, str] | None = None) -> float:
        """Start argv in the pane (replacing what runs there) with these extra environment variables;
        returns the start time (perf_counter) that `wait_for` measures from by default."""
        args = ["respawn-pane", "-k", "-t", self.name]
        if self.cwd:
            args += ["-c", self.cwd]
        for key, value in (env or {}).items():
            args += ["-e", f"{key}={value}"]
        if len(argv) < 2:
            argv = ["env", *argv]  # a single argument would be run through a shell
        self.t0 = time.perf_counter()
        self._tmux(*args, "--", *argv)
        return self.t0

    def capture(self) -> str:
        self.screen = subprocess.run(
            self.tmux + ["capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        ).stdout
        return self.screen

    def dead(self) -> tuple[bool, str]:
        """(is the program gone, its exit status as tmux reports it)."""
        out = self._tmux("display", "-p", "-t", self.name, "#{pane_dead} #{pane_dead_status} #{pane_dead_signal}").split()
        status = out[1] if len(out) > 1 else ""
        if len(out) > 2 and out[2] not in ("", "0"):
            status = f"signal {out[2]}"
        return (bool(out) and out[0] == "1"), status

    def wait_for(self, marker: str, timeout: float, since: float | None = None) -> float | None:
        """Seconds from `since` (default: the start) until the regex is on screen; None on timeout
        or when the program ends first (the last screen stays in `self.screen`, the match in `self.match`)."""
        pattern = re.compile(marker)
        since = self.t0 if since is None else since
        next_check = time.perf_counter() + 0.5
        while True:
            now = time.perf_counter()
            self.match = pattern.search(self.capture())
            if self.match:
                return time.perf_counter() - since  # as firstpaint.py: the time the screen was read
            if now - since > timeout:
                return None
            if now >= next_check:
                next_check = now + 0.5
                if self.dead()[0]:
                    self.capture()
                    return None
            time.sleep(POLL)

    def wait_dead(self, timeout: float) -> str | None:
        """Wait for the program to end; its exit status ("0", "1", "signal 9"…), or None if it is still
        running. The process itself is watched (/proc/<pid>/stat): tmux can leave an exited program a
        zombie, with the pane not yet marked dead, for many seconds."""
        pid = self.program_pid()
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            ended = _exit_status(pid) if pid else None
            if ended is not None:
                return ended or self.dead()[1] or "?"
            gone, status = self.dead()
            if gone and status:
                return status
            time.sleep(0.05)
        return None

    def send(self, *keys: str, literal: bool = False) -> float:
        """Type keys (tmux key names, or literal text); returns the time they were sent."""
        args = ["send-keys", "-t", self.name] + (["-l"] if literal else []) + list(keys)
        self._tmux(*args)
        return time.perf_counter()

    def program_pid(self) -> int | None:
        """The pid of the Python process running in the pane (the pane's own process, or its
        first Python descendant if something like a shell sits in between)."""
        try:
            pid = int(self._tmux("display", "-p", "-t", self.name, "#{pane_pid}").strip())
        except (ValueError, subprocess.CalledProcessError):
            return None
        queue = [pid]
        while queue:
            candidate = queue.pop(0)
            if _is_python(candidate):
                return candidate
            queue += _children(candidate)
        return pid

    def peak_rss_mb(self) -> float | None:
        pid = self.program_pid()
        kb = proc_status_kb(pid, "VmHWM") if pid else None
        return None if kb is None else kb / 1024
