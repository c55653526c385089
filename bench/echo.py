#!/usr/bin/env python3
"""Typed-character echo in the reader: how long a character typed into the filter bar takes to show
in a real tmux pane (160×48), while the reader loads an archive cold and while it writes the
full-text index after that first start (issue 18: ≤ 20 ms at any time).

For each archive, one run with fresh temporary HOME/XDG_* folders: digest-tui starts on the archive;
at its first paint `/` opens the filter bar, and words are typed one character at a time, each
after the last one showed and a pause of --gap seconds (a fast typist's pace), then taken back with
backspace (each backspace is a keystroke measured too), while the load runs ("loading…" on the
status line); once the load is done, the same while the text index file grows (its finishing step),
for --index-seconds. Each keystroke is timed from the moment tmux has written it into the pane's
terminal (send-keys answered) until a capture of the pane shows the filter bar holding the new text.

The pane is read through one tmux control-mode client (no process started per look), in a tight
loop: the printed resolution is the median time one capture takes (the echo is known to within
it). The filter applies after each pause, so the searches (in memory while the index is written)
run while the next characters are typed, as they do for a user.

Usage (from the repository):  .venv/bin/python bench/echo.py [ARCHIVE...] [--million] [--gap 0.12]
  default ARCHIVE: /work/bench/archive-100000; --million adds /work/bench/archive-1000000.
Never run by the tests; results also go to bench/results/echo.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pane import Pane

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
ARCHIVES = {"100k": Path("/work/bench/archive-100000"), "1M": Path("/work/bench/archive-1000000")}
WORDS = ("mixture", "transformer", "预训练", "diffusion", "cat:cs.CL", "graph")
FIRST_PAINT = re.compile(r"[1-9]\d* papers")
LOADING = "loading…"
PLACEHOLDER = "filter: words"
GOAL_MS = 20.0


class Control:
    """One tmux control-mode client on a pane's server: commands answered in-process, so a capture
    costs what tmux takes to answer it, not a process start."""

    def __init__(self, pane: Pane) -> None:
        self.pane = pane
        self.proc = subprocess.Popen(
            pane.tmux + ["-C", "attach-session", "-t", pane.name],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0,
        )  # fmt: skip
        self.out = self.proc.stdout
        self._buffer = b""
        while not self._line().startswith(b"%session-changed"):  # attached
            pass
        self.command("refresh-client -f no-output")  # no copy of everything the pane prints

    def _line(self) -> bytes:
        while b"\n" not in self._buffer:
            chunk = os.read(self.out.fileno(), 1 << 16)
            if not chunk:
                raise EOFError("tmux control client ended")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def command(self, text: str) -> list[str]:
        """Run one tmux command; its output lines."""
        self.proc.stdin.write(text.encode("utf-8") + b"\n")
        lines: list[str] = []
        inside = False
        while True:
            line = self._line()
            if line.startswith(b"%begin") and line.endswith(b" 1"):  # flags 1: a command of this client
                inside, lines = True, []
            elif line.startswith((b"%end", b"%error")) and inside:
                if line.startswith(b"%error"):
                    raise RuntimeError(f"tmux: {text!r}: {b' '.join(map(str.encode, lines))!r}")
                return lines
            elif inside:
                lines.append(line.decode("utf-8", "replace"))

    def screen(self) -> list[str]:
        return self.command(f"capture-pane -p -t {self.pane.name}")

    def send(self, key: str, literal: bool) -> float:
        """Type a key; the time tmux answered (it has written the key into the pane's terminal)."""
        quoted = "'" + key.replace("'", "'\\''") + "'" if literal else key
        self.command(f"send-keys -t {self.pane.name} {'-l ' if literal else ''}{quoted}")
        return time.perf_counter()

    def close(self) -> None:
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        self.proc.wait(5)


def sandbox(parent: Path) -> tuple[Path, dict[str, str]]:
    root = Path(tempfile.mkdtemp(prefix="echo-", dir=parent))
    env = dict(os.environ)
    for name in ("TMUX", "TMUX_PANE", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    env.setdefault("LANG", "C.UTF-8")
    for name, var in (("home", "HOME"), ("data", "XDG_DATA_HOME"), ("config", "XDG_CONFIG_HOME"),
                      ("cache", "XDG_CACHE_HOME"), ("state", "XDG_STATE_HOME")):  # fmt: skip
        (root / name).mkdir()
        env[var] = str(root / name)
    return root, env


def text_index_bytes(root: Path) -> int:
    """The size of the text index file(s) under the sandbox's cache (0 while there is none)."""
    total = 0
    for folder, _dirs, names in os.walk(root / "cache"):
        if os.path.basename(folder) == "texts":
            total += sum(os.path.getsize(os.path.join(folder, name)) for name in names)
    return total


class Typist:
    """Types into the filter bar and times each character's echo."""

    def __init__(self, control: Control, gap: float, no_search: bool = False) -> None:
        self.control = control
        self.gap = gap
        self.no_search = no_search
        self.bar: int | None = None  # the screen line of the filter bar
        self.captures: list[float] = []  # how long each capture took (the resolution)

    def open_bar(self, timeout: float = 10.0) -> bool:
        self.control.send("/", literal=True)
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            for y, line in enumerate(self.control.screen()):
                if PLACEHOLDER in line:
                    self.bar = y
                    if self.no_search:
                        sent = self.control.send("(", literal=True)
                        return self.wait_shown("(", sent)[0] is not None
                    return True
        return False

    def wait_shown(self, text: str, since: float, timeout: float = 10.0) -> tuple[float | None, list[str]]:
        """Seconds from `since` until the bar holds exactly `text` (the first capture that shows it ended then)."""
        lines: list[str] = []
        while True:
            start = time.perf_counter()
            lines = self.control.screen()
            end = time.perf_counter()
            self.captures.append(end - start)
            if self.bar is not None and self.bar < len(lines):
                shown = lines[self.bar].strip().split(" · bad filter")[0]
                if shown == text or (not text and PLACEHOLDER in shown):
                    return end - since, lines
            if end - since > timeout:
                return None, lines

    def word(self, word: str, samples: list[dict], phase) -> None:
        """Type a word a character at a time, then take it back; a sample per keystroke (with
        `no_search`, after an opening parenthesis, left in the bar: the filter is never valid)."""
        typed = "(" if self.no_search else ""
        keys = [(ch, True) for ch in word] + [("BSpace", False)] * len(word)
        for key, literal in keys:
            typed = typed + key if literal else typed[:-1]
            sent = self.control.send(key, literal)
            seconds, lines = self.wait_shown(typed, sent)
            samples.append({"key": key, "ms": None if seconds is None else seconds * 1000, "phase": phase(lines)})
            time.sleep(self.gap)


def summary(samples: list[dict]) -> dict:
    values = [s["ms"] for s in samples if s["ms"] is not None]
    missed = sum(1 for s in samples if s["ms"] is None)
    if not values:
        return {"keys": len(samples), "missed": missed}
    worst = max(samples, key=lambda s: s["ms"] or 0)
    return {
        "keys": len(samples), "missed": missed, "median_ms": statistics.median(values),
        "p90_ms": statistics.quantiles(values, n=10)[-1] if len(values) >= 10 else max(values),
        "worst_ms": max(values), "worst_key": worst["key"], "over_goal": sum(v > GOAL_MS for v in values),
    }  # fmt: skip


def run_archive(
    label: str, archive: Path, work: Path, gap: float, index_seconds: float, cmd: list[str], max_load: float,
    no_search: bool = False,
) -> dict:
    root, env = sandbox(work)
    result: dict = {"archive": str(archive), "label": label}
    try:
        with Pane(cwd=str(root / "home"), env=env) as pane:
            started = pane.start([*cmd, str(archive)])
            if pane.wait_for(FIRST_PAINT.pattern, 300) is None:
                result["error"] = "no first paint within 300 s"
                return result
            result["first_paint_s"] = time.perf_counter() - started
            control = Control(pane)
            try:
                typist = Typist(control, gap, no_search)
                if not typist.open_bar():
                    result["error"] = "the filter bar did not open"
                    return result
                loading: list[dict] = []
                words = iter(WORDS * 1000)
                # while the load runs (the status line says loading…)
                while True:
                    typist.word(next(words), loading, lambda lines: "load" if any(LOADING in text for text in lines) else "after")
                    if not any(LOADING in line for line in control.screen()):
                        break
                    if time.perf_counter() - started > max_load:
                        break
                end = time.perf_counter() + 900
                while any(LOADING in line for line in control.screen()) and time.perf_counter() < end:
                    time.sleep(0.2)
                result["load_s"] = time.perf_counter() - started
                # then while the text index is written (its file grows)
                indexing: list[dict] = []
                control.send("Escape", literal=False)  # the filter goes: the finishing steps' work is the same for any
                end = time.perf_counter() + (300 if index_seconds > 0 else 0)
                size = text_index_bytes(root)
                while time.perf_counter() < end:  # until the rows' texts are being written to it
                    time.sleep(1.0)
                    size, before = text_index_bytes(root), size
                    if size > before:
                        break
                if index_seconds > 0 and not typist.open_bar():
                    result["error"] = "the filter bar did not open again"
                    return result
                end = time.perf_counter() + index_seconds
                while time.perf_counter() < end:
                    typist.word(next(words), indexing, lambda lines: "index")
                # (the size of the file and its write-ahead log: the log is reused, so it need not grow)
                result["text_index_mb"] = (size / 1e6, text_index_bytes(root) / 1e6)
                result["during_load"] = summary([s for s in loading if s["phase"] == "load"])
                result["once_loaded"] = summary([s for s in loading if s["phase"] == "after"])
                result["during_text_index"] = summary(indexing)
                result["samples"] = {"load": loading, "index": indexing}
                captures = sorted(typist.captures)
                result["capture_ms"] = {"median": 1000 * statistics.median(captures), "p90": 1000 * captures[int(0.9 * len(captures))]}
            finally:
                control.close()
            pane.send("Escape")  # the filter bar lets go of the keys
            time.sleep(0.3)
            pane.send("Escape")
            time.sleep(0.3)
            pane.send("q")
            pane.wait_dead(60)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return result


def line(label: str, s: dict) -> str:
    if "median_ms" not in s:
        return f"  {label}: no keystrokes measured ({s})"
    mark = "✓" if s["worst_ms"] <= GOAL_MS else "✗"
    return (f"  {label}: {s['keys']} keys, median {s['median_ms']:.1f} ms, p90 {s['p90_ms']:.1f} ms, "
            f"worst {s['worst_ms']:.1f} ms ({s['worst_key']!r}) {mark}; over {GOAL_MS:g} ms: {s['over_goal']}"
            + (f"; {s['missed']} not shown within 10 s" if s["missed"] else ""))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archives", nargs="*", type=Path)
    parser.add_argument("--max-load-seconds", type=float, default=120.0, help="stop typing during the load after this long")
    parser.add_argument("--million", action="store_true", help="also the 1M archive")
    parser.add_argument("--gap", type=float, default=0.12, help="seconds between a character showing and the next typed")
    parser.add_argument("--index-seconds", type=float, default=20.0, help="how long to type while the text index is written")
    parser.add_argument("--no-search", action="store_true", help="an opening parenthesis first, so the filter is never valid and "
                        "nothing is searched: the echo alone (at 1M, searches in memory while the index is written take GBs)")
    parser.add_argument("--command", help="the reader's command line (default: the venv's digest-tui), e.g. a profiling wrapper")
    args = parser.parse_args()
    archives = [(path.name, path.resolve()) for path in args.archives] or [("100k", ARCHIVES["100k"])]
    if args.million:
        archives.append(("1M", ARCHIVES["1M"]))
    digest_tui = REPO / ".venv" / "bin" / "digest-tui"
    cmd = [str(digest_tui)] if digest_tui.exists() else [sys.executable, "-m", "digest_tui"]
    if args.command:
        cmd = shlex.split(args.command)
    work = Path(tempfile.mkdtemp(prefix="dt-echo-"))
    results = []
    try:
        for label, archive in archives:
            print(f"{label}: {archive} (load average {os.getloadavg()[0]:.1f}) …", flush=True)
            r = run_archive(label, archive, work, args.gap, args.index_seconds, cmd, args.max_load_seconds, args.no_search)
            r["loadavg"] = os.getloadavg()
            results.append(r)
            if "error" in r:
                print(f"  error: {r['error']}")
                continue
            print(f"  first paint {r['first_paint_s']:.2f} s; load done after {r['load_s']:.1f} s; text index (with its "
                  f"log) {r['text_index_mb'][0]:.0f} MB → {r['text_index_mb'][1]:.0f} MB while typing after the load")
            print(line("while loading cold", r["during_load"]))
            if r["once_loaded"]["keys"]:
                print(line("the load done, before the finishing steps start writing", r["once_loaded"]))
            if r["during_text_index"]["keys"]:
                print(line("while the text index is written", r["during_text_index"]))
            print(f"  resolution: a capture takes {r['capture_ms']['median']:.2f} ms (p90 {r['capture_ms']['p90']:.2f} ms)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = BENCH / "results" / "echo.json"
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
