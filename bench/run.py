#!/usr/bin/env python3
"""The scale benchmark: build synthetic archives (1k, 10k, 100k, 300k papers; 1M with --million) with
../shared/tools/mkcorpus.py, and listing e-mails of 1k, 10k and 100k papers (one file each, the real
arXiv e-mail in ../shared/digests with its entries repeated under fresh ids, as bench/email_parse.py
builds it), and print, for each, next to the empty-app floor measured in the same run and the goals of
issue 18 (a ✓ or ✗ after each number that has one):

  first paint          ../shared/tools/firstpaint.py in a real 160x48 tmux pane, median of 3, fresh dirs
  full load in the app cold (fresh XDG dirs) and warm (the cache the cold run left; median of 5), in a tmux pane
                       until the status line reads "<TOTAL> papers · sort", with the app's peak RSS
                       (VmHWM) once loaded and after a filter typed into it; the warm runs' first
                       paint (median of 5) is the warm first paint
  headless load        LoadSession(cache=ParseCache(dir)).run() cold and warm, in fresh subprocesses (the
                       session the app iterates, without its pauses and the search index); for an e-mail
                       also its peak RSS above the process's at the start, against the file's size
  filter latency       every keystroke of a typed query: parse_query + Store.select (median, worst)
  the peer             arxiv-subscription-viewer on the same papers as one arXiv listing e-mail, next to
                       digest-tui on that same file (skipped, with the reason, when it cannot run; for
                       archives above 100k papers, where the e-mail series compares)

Usage (from the repository):  .venv/bin/python bench/run.py [--sizes 1000,10000,100000,300000] [--million]
                                  [--emails 1000,10000,100000] [--keep DIR] [--no-peer]
(`--sizes 0` or `--emails 0` leaves that series out.) A full run takes an hour or more; --million adds
the 1M archive (~3.3 GB: minutes to build, minutes per load).

Every app run gets fresh temporary HOME/XDG_* folders; the user's own are never touched. Results go to
bench/results/latest.json; the Markdown tables at the end are the ones for README.md. Never run by the tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
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
SHARED = REPO.parent / "shared"
MKCORPUS = SHARED / "tools" / "mkcorpus.py"
FIRSTPAINT = SHARED / "tools" / "firstpaint.py"
SEEDS = SHARED / "digests"
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
PEER_PYTHON = Path.home() / ".pyenv" / "versions" / "3.13.0" / "bin" / "python"
PEER_PACKAGE = "arxiv-subscription-viewer"

REPEAT = 3
WARM_REPEAT = 5
"""Warm full loads in the app: a second each, and this machine's timings swing by a few tenths
from minute to minute, so the median is of five."""
FIRST_PAINT_MARKER = r"[1-9]\d* papers"
DONE_MARKER = r"\b(\d[\d,]*) papers · sort"  # the status line with no "loading…" in it
FILTERED_MARKER = r"\b(\d[\d,]*) of (\d[\d,]*) papers"
APP_FILTER = "mixture"  # typed into the running app: full text, so it waits for the abstracts and their index
PEER_TIMEOUT = 180.0

TARGETS = {
    "first_paint_x_floor": 2.0,
    "cold_mb_per_s": 100.0,
    "warm_s": 3.0,
    "filter_ms": 100.0,
    "fulltext_ms": 300.0,
    "rss_kb_per_paper": 3.0,
    "ready_s": 5.0,
}
"""The goals of issue 18 (set for 1M papers; a smaller archive must meet them too): first paint
<= 2x the empty app, full load warm <= 3 s and cold >= 100 MB/s of digest text, a fielded filter
<= 100 ms and a full-text one <= 300 ms, both ready <= 5 s after a warm start, resident memory
<= 3 KB a paper."""
EMAIL_TARGETS = {"mb_per_s": 110.0, "first_paint_x_floor": 2.0, "peak_x_file": 3.0, "peer_x": {10_000: 12.0, 100_000: 20.0}}
"""Issue 18's goals for one listing e-mail: >= 110 MB/s parsed, first paint <= 2x the floor, peak
memory <= 3x the file's size, and against the peer >= 12x faster at 10k papers, >= 20x at 100k."""
MILLION = 1_000_000


def say(*parts: object) -> None:
    print(*parts, flush=True)


def die(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr)
    sys.exit(2)


# -- environments -------------------------------------------------------------------------------


def base_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("TMUX", None)
    env.pop("TMUX_PANE", None)
    # as on a user's machine, where the first run (or pip) leaves bytecode: with this set (some
    # sandboxes do) every start would compile the package's sources again
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not any("utf-8" in env.get(k, "").lower().replace("utf8", "utf-8") for k in ("LC_ALL", "LC_CTYPE", "LANG")):
        env["LANG"] = "C.UTF-8"
    return env


class Sandbox:
    """Fresh HOME and XDG folders for one app run (or a pair, when warm reuses the cold run's cache)."""

    def __init__(self, parent: Path, label: str) -> None:
        (parent / "sandboxes").mkdir(exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=f"{label}-", dir=parent / "sandboxes"))
        self.dirs = {name: self.root / name for name in ("home", "data", "config", "cache", "state")}
        for folder in self.dirs.values():
            folder.mkdir()

    @property
    def vars(self) -> dict[str, str]:
        d = self.dirs
        return {
            "HOME": str(d["home"]),
            "XDG_DATA_HOME": str(d["data"]),
            "XDG_CONFIG_HOME": str(d["config"]),
            "XDG_CACHE_HOME": str(d["cache"]),
            "XDG_STATE_HOME": str(d["state"]),
        }

    @property
    def env(self) -> dict[str, str]:
        return {**base_env(), **self.vars}

    def size(self, name: str) -> tuple[int, int]:
        """(files, bytes) under one of the folders."""
        files = size = 0
        for root, _, names in os.walk(self.dirs[name]):
            for n in names:
                files += 1
                size += os.path.getsize(os.path.join(root, n))
        return files, size

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


# -- measurements -------------------------------------------------------------------------------


def headless(*args: str, timeout: float = 3600) -> dict:
    """One headless job in a fresh interpreter; its JSON, or {"error": ...}."""
    cmd = [str(VENV_PYTHON), str(BENCH / "headless.py"), *args]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=base_env())
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def firstpaint(marker: str, timeout: float, argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float | None, str]:
    """One run of ../shared/tools/firstpaint.py: (seconds, "") or (None, why)."""
    cmd = [sys.executable, str(FIRSTPAINT), marker, str(timeout), "--", *argv]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout + 60)
    except subprocess.TimeoutExpired:
        return None, "firstpaint.py did not return"
    lines = done.stdout.strip().splitlines()
    if done.returncode == 0 and lines:
        try:
            return float(lines[-1]), ""
        except ValueError:
            pass
    screen = "\n".join(line for line in done.stderr.splitlines() if line.strip())[-600:]
    why = lines[-1] if lines else f"exit status {done.returncode}"
    return None, why + (f"\n--- last screen ---\n{screen}" if screen else "")


def firstpaint_median(
    label: str, marker: str, timeout: float, argv: list[str], work: Path, prepare=None, repeat: int = REPEAT
) -> dict:
    """firstpaint.py `repeat` times, each in a fresh sandbox (`prepare(sandbox)` may seed it)."""
    samples, errors = [], []
    for _ in range(repeat):
        box = Sandbox(work, label)
        try:
            if prepare is not None:
                prepare(box)
            seconds, why = firstpaint(marker, timeout, argv, box.env, box.dirs["home"])
        finally:
            box.remove()
        if seconds is None:
            errors.append(why)
            break  # a timeout will not fix itself; do not wait for it three times
        samples.append(seconds)
    return {"median_s": statistics.median(samples) if samples else None, "samples_s": samples, "errors": errors}


def _count(text: str) -> int:
    return int(text.replace(",", ""))


def app_run(
    label: str, argv: list[str], box: Sandbox, total: int, timeout: float, screens: Path,
    filter_text: str | None = None, filter_shown: int | None = None,
) -> dict:  # fmt: skip
    """digest-tui in a tmux pane: first paint, the full load (status says TOTAL papers and no
    longer loading), peak RSS then; optionally a filter typed (`/`, text, Enter) and RSS after; quit."""
    out: dict = {"problems": []}
    with Pane(cwd=str(box.dirs["home"]), env=box.env) as pane:
        pane.start(argv)
        out["first_paint_s"] = pane.wait_for(FIRST_PAINT_MARKER, timeout)
        done = pane.wait_for(DONE_MARKER, timeout)
        if done is not None and _count(pane.match.group(1)) != total:
            out["problems"].append(f"status said loaded with {pane.match.group(1)} papers, expected {total}")
            done = pane.wait_for(rf"\b{total} papers · sort", 30)
        out["full_load_s"] = done
        out["rss_loaded_mb"] = pane.peak_rss_mb()
        (screens / f"{label}-loaded.txt").write_text(pane.screen, encoding="utf-8")
        if done is None:
            gone, status = pane.dead()
            out["problems"].append(
                f"program ended (exit status {status}) before the load finished" if gone
                else f"not loaded after {timeout:.0f} s"
            )  # fmt: skip
            out["last_screen"] = pane.screen
            return out
        if filter_text is not None:
            pane.send("/", literal=True)
            time.sleep(0.3)
            # the text and Enter back to back (well inside the filter's debounce): from the first
            # character sent until the list and the status line show the result
            sent = pane.send(filter_text, literal=True)
            enter = pane.send("Enter")
            # the status line may say "<old count> of <total>" for a moment before the new rows arrive:
            # wait for the count the headless select gave (any "N of TOTAL" when it is unknown)
            expected = FILTERED_MARKER if filter_shown is None else rf"\b{filter_shown} of {total} papers"
            seconds = pane.wait_for(expected, 60, since=sent)
            status_now = re.search(FILTERED_MARKER, pane.screen)
            if seconds is None and filter_shown is not None and status_now:
                out["problems"].append(
                    f"filter {filter_text!r}: status {status_now.group(0)!r}, headless select gave {filter_shown}"
                )
            out["filter_typed_to_screen_s"] = seconds
            out["filter_enter_to_screen_s"] = None if seconds is None else seconds - (enter - sent)
            out["rss_filtered_mb"] = pane.peak_rss_mb()
            time.sleep(0.5)
            (screens / f"{label}-filtered.txt").write_text(pane.capture(), encoding="utf-8")
            if seconds is None:
                out["problems"].append(f"filter {filter_text!r} not applied on screen within 60 s")
        quit_sent = pane.send("q")
        status = pane.wait_dead(30)
        out["exit_status"] = status
        out["quit_s"] = time.perf_counter() - quit_sent if status is not None else None
        if status is None:
            out["problems"].append("did not quit within 30 s of 'q'")
        elif status != "0":
            out["problems"].append(f"exit status {status} after 'q'")
            pane.capture()
            out["last_screen"] = pane.screen
    # a reader quit before it wrote its load snapshot leaves that to a copy of itself: the next
    # (warm) run waits for it, as a user starting again a little later would (the pane is gone)
    out["copy_after_quit_s"] = wait_for_copies(box, 300)
    return out


def wait_for_copies(box: Sandbox, timeout: float) -> float | None:
    """Seconds until no process of this sandbox (one whose environment names its HOME) is left,
    from now; None if one still is after `timeout`."""
    mark = f"HOME={box.dirs['home']}".encode()
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        alive = False
        for environ in Path("/proc").glob("[0-9]*/environ"):
            try:
                alive = mark in environ.read_bytes().split(b"\0")
            except OSError:
                continue  # ended meanwhile, or not ours to read
            if alive:
                break
        if not alive:
            return time.perf_counter() - started
        time.sleep(0.1)
    return None


# -- the peer: arxiv-subscription-viewer ----------------------------------------------------------


def peer_setup(work: Path, python: Path) -> tuple[Path | None, str]:
    """A venv with the peer installed (reused when it already works); (its bin folder, "") or (None, why)."""
    venv = work / "peer-venv"
    viewer = venv / "bin" / "arxiv-viewer"
    if viewer.exists() and subprocess.run([str(viewer), "--version"], capture_output=True).returncode == 0:
        return venv / "bin", ""
    if not python.exists():
        return None, f"no Python 3.13 at {python} (the peer needs Python >= 3.13)"
    shutil.rmtree(venv, ignore_errors=True)
    say(f"  installing {PEER_PACKAGE} into {venv} …")
    steps = [[str(python), "-m", "venv", str(venv)], [str(venv / "bin" / "pip"), "install", "-q", PEER_PACKAGE]]
    for step in steps:
        try:
            done = subprocess.run(step, capture_output=True, text=True, timeout=900)
        except subprocess.TimeoutExpired:
            return None, f"{' '.join(step[:3])} timed out"
        if done.returncode != 0:
            errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")] or done.stderr.splitlines()
            return None, f"{' '.join(step[:3])} failed: {(errors or ['?'])[-1]}"
    if not viewer.exists():
        return None, f"{PEER_PACKAGE} installed no arxiv-viewer command"
    return venv / "bin", ""


def peer_config(box: Sandbox, whats_new_version: str) -> None:
    """The peer's config.json under the sandbox's XDG_CONFIG_HOME, with its first-run overlays
    (welcome, what's new, one-time tips) marked as seen, as it records them itself on dismissal."""
    folder = box.dirs["config"] / "arxiv-browser"
    folder.mkdir(parents=True, exist_ok=True)
    config = {
        "onboarding_seen": True,
        "shortcuts_hint_seen": True,
        "badge_legend_hint_seen": True,
        "last_seen_whats_new": whats_new_version,
    }
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")


def peer_marker(title: str) -> str:
    """The start of the title the peer lists first: on screen means its list is."""
    words = title.split()
    head = ""
    for word in words:
        if len(head) + len(word) + 1 > 28 and head:
            break
        head = f"{head} {word}".strip()
    return re.escape(head).replace(r"\ ", " ")


def peer_pane_run(label: str, argv: list[str], box: Sandbox, marker: str, timeout: float, screens: Path) -> dict:
    out: dict = {"problems": []}
    with Pane(cwd=str(box.dirs["home"]), env=box.env) as pane:
        pane.start(argv)
        out["first_paint_s"] = pane.wait_for(marker, timeout)
        out["rss_loaded_mb"] = pane.peak_rss_mb()
        time.sleep(1.0)
        pane.capture()
        out["rss_settled_mb"] = pane.peak_rss_mb()
        (screens / f"{label}.txt").write_text(pane.screen, encoding="utf-8")
        if out["first_paint_s"] is None:
            out["problems"].append(f"marker {marker!r} not on screen within {timeout:.0f} s")
            out["last_screen"] = pane.screen
        for overlay in ("Welcome to arXiv Viewer", "What's New"):
            if overlay in pane.screen:
                out["problems"].append(f"a first-run overlay is on screen: {overlay!r}")
    return out


def measure_peer(
    n: int, arch: Path, work: Path, cache: Path, screens: Path, peer_bin: Path, our_cmd: list[str], repeat: int,
    timeout: float = PEER_TIMEOUT,
) -> dict:  # fmt: skip
    """The same papers as one listing e-mail: the peer's first paint next to ours on that file."""
    listing = work / f"listing-{n}.txt"
    stamp = work / f"listing-{n}.ok"
    if not stamp.exists():
        info = headless("listing", str(arch), str(listing), str(cache))
        if "error" in info:
            return {"skipped": f"writing the listing failed: {info['error']}"}
        stamp.write_text(json.dumps(info), encoding="utf-8")
    info = json.loads(stamp.read_text(encoding="utf-8"))
    return peer_versus(n, listing, info, work, screens, peer_bin, our_cmd, repeat, timeout)


def peer_versus(
    n: int, listing: Path, info: dict, work: Path, screens: Path, peer_bin: Path, our_cmd: list[str], repeat: int,
    timeout: float = PEER_TIMEOUT, label: str = "",
) -> dict:  # fmt: skip
    """One listing e-mail of info["papers"] papers: the peer's first paint (its full load) next to
    digest-tui's first paint and full load on that same file."""
    res: dict = {"listing": {**info, "path": str(listing)}}
    # our parser must read the file as the same papers before anything is timed
    dump = subprocess.Popen(
        [*our_cmd, "dump", str(listing)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=base_env()
    )
    ours = sum(1 for line in dump.stdout if line.startswith("{") and '"format": "arxiv-email"' in line)
    dump.wait()
    res["listing"]["dump_papers"] = ours
    if ours != info["papers"]:
        why = f"digest-tui dump reads {ours} arxiv-email papers from the listing, expected {info['papers']}"
        return {**res, "skipped": why}
    probe = subprocess.run(
        [str(peer_bin / "python"), str(BENCH / "peer_probe.py"), str(listing)], capture_output=True, text=True, timeout=900
    )
    if probe.returncode != 0:
        return {**res, "skipped": f"the peer's parser failed: {(probe.stderr.strip().splitlines() or ['?'])[-1]}"}
    res["probe"] = json.loads(probe.stdout.strip().splitlines()[-1])
    if res["probe"]["papers"] != info["papers"]:
        res.setdefault("problems", []).append(f"the peer parses {res['probe']['papers']} papers, we wrote {info['papers']}")
    marker = peer_marker(res["probe"]["first_title"] or "")
    res["marker"] = marker
    peer_argv = [str(peer_bin / "arxiv-viewer"), "browse", "-i", str(listing), "--no-restore"]

    def seed(box: Sandbox) -> None:
        peer_config(box, res["probe"]["whats_new_version"])

    say(f"  peer first paint ({repeat}×, marker {marker!r}) …")
    res["peer_first_paint"] = firstpaint_median("peer", marker, timeout, peer_argv, work, seed, repeat)
    if res["peer_first_paint"]["median_s"] is None:
        res["skipped"] = "the peer did not show its papers: " + res["peer_first_paint"]["errors"][0].split("\n")[0]
        return res
    box = Sandbox(work, "peer")
    try:
        seed(box)
        res["peer_run"] = peer_pane_run(f"{label}{n}-peer", peer_argv, box, marker, timeout, screens)
    finally:
        box.remove()
    res.update(ours_on_listing(n, listing, info, work, screens, our_cmd, repeat, timeout, label))
    peer_s = res["peer_first_paint"]["median_s"]
    ours_s = res["ours_first_paint"]["median_s"]
    ours_full = res["ours_run"].get("full_load_s")
    res["ratio_first_paint"] = peer_s / ours_s if peer_s and ours_s else None
    res["ratio_full_load"] = peer_s / ours_full if peer_s and ours_full else None
    return res


def ours_on_listing(
    n: int, listing: Path, info: dict, work: Path, screens: Path, our_cmd: list[str], repeat: int, timeout: float, label: str,
) -> dict:  # fmt: skip
    """digest-tui's first paint (median of `repeat`) and full load in the app on one listing e-mail."""
    say("  digest-tui on the listing …")
    argv = [*our_cmd, str(listing)]
    res = {"ours_first_paint": firstpaint_median("ours-listing", FIRST_PAINT_MARKER, 120, argv, work, repeat=repeat)}
    box = Sandbox(work, "ours-listing")
    try:
        res["ours_run"] = app_run(f"{label}{n}-ours-listing", argv, box, info["papers"], max(300.0, timeout), screens)
    finally:
        box.remove()
    return res


# -- one size -------------------------------------------------------------------------------------


def ensure_archive(n: int, work: Path) -> Path:
    arch = work / f"archive-{n}"
    stamp = work / f"archive-{n}.ok"
    if stamp.exists() and arch.is_dir():
        return arch
    shutil.rmtree(arch, ignore_errors=True)
    say(f"  building the archive: mkcorpus.py {SEEDS} {arch} {n} …")
    subprocess.run([sys.executable, str(MKCORPUS), str(SEEDS), str(arch), str(n)], check=True)
    stamp.write_text(f"mkcorpus {n}\n", encoding="utf-8")
    return arch


def measure_size(n: int, work: Path, screens: Path, our_cmd: list[str], args, peer_bin: Path | None, peer_why: str) -> dict:
    res: dict = {"n": n, "started": dt.datetime.now().isoformat(timespec="seconds"), "loadavg": os.getloadavg()}
    arch = ensure_archive(n, work)
    res["archive"] = str(arch)
    cache = work / f"headless-cache-{n}"
    shutil.rmtree(cache, ignore_errors=True)
    say("  headless load, cold …")
    res["headless_cold"] = cold = headless("load", str(arch), str(cache))
    if "error" in cold:
        res["error"] = f"headless load failed: {cold['error']}"
        return res
    total = res["papers"] = cold["papers"]
    res["files"], res["bytes"] = cold["files"], cold["bytes"]
    say("  headless load, warm …")
    res["headless_warm"] = headless("load", str(arch), str(cache))
    say("  headless filter, a first start (the text index is written) …")
    res["headless_filter_first"] = headless("filter", str(arch), str(cache))
    say("  headless filter latency, a warm start …")
    res["headless_filter"] = flt = headless("filter", str(arch), str(cache))
    shown = None
    if "error" not in flt:
        for query in flt["filter"]["full-text"]["queries"]:
            if query["query"] == APP_FILTER:
                shown = query["shown"]

    say(f"  empty-app floor ({args.repeat}×) …")
    empty_app = [str(VENV_PYTHON), str(BENCH / "empty_app.py")]
    res["floor"] = firstpaint_median("floor", "bench empty app ready", 60, empty_app, work, repeat=args.repeat)
    say(f"  first paint ({args.repeat}×) …")
    argv = [*our_cmd, str(arch)]
    timeout = max(120.0, 3.0 * n / 1000)
    res["first_paint"] = firstpaint_median("first-paint", FIRST_PAINT_MARKER, timeout, argv, work, repeat=args.repeat)

    box = Sandbox(work, "app")
    try:
        say("  full load in the app, cold …")
        res["app_cold"] = app_run(f"{n}-cold", argv, box, total, timeout, screens, APP_FILTER, shown)
        res["app_cache_after_cold"] = dict(zip(("files", "bytes"), box.size("cache")))
        say("  full load in the app, warm …")
        res["app_warm"] = app_run(f"{n}-warm", argv, box, total, timeout, screens, APP_FILTER, shown)
        say(f"  full load in the app, warm, {WARM_REPEAT - 1} more …")
        res["app_warm_more"] = [
            app_run(f"{n}-warm-{i}", argv, box, total, timeout, screens) for i in range(2, WARM_REPEAT + 1)
        ]
    finally:
        box.remove()

    if args.no_peer:
        res["peer"] = {"skipped": "--no-peer"}
    elif peer_bin is None:
        res["peer"] = {"skipped": peer_why}
    elif n > 100_000:
        res["peer"] = {"skipped": "above 100k papers (the peer needs over a minute at 100k; the e-mail series compares)"}
    else:
        res["peer"] = measure_peer(n, arch, work, cache, screens, peer_bin, our_cmd, args.repeat, args.peer_timeout)
    shutil.rmtree(cache, ignore_errors=True)
    return res


# -- one listing e-mail ---------------------------------------------------------------------------


def ensure_email(n: int, work: Path) -> tuple[Path, dict]:
    """One arXiv listing e-mail of n papers made from the real one in ../shared/digests (its
    entries repeated with fresh ids: bench/email_parse.py's build), and what it holds."""
    from email_parse import SEED, build

    listing = work / f"email-{n}.txt"
    stamp = work / f"email-{n}.ok"
    if not (stamp.exists() and listing.is_file()):
        say(f"  building the listing e-mail: {n:,} papers from {SEED.name} …")
        size = build(SEED, n, listing)
        stamp.write_text(json.dumps({"papers": n, "bytes": size, "seed": SEED.name}), encoding="utf-8")
    return listing, json.loads(stamp.read_text(encoding="utf-8"))


def measure_email(n: int, work: Path, screens: Path, our_cmd: list[str], args, peer_bin: Path | None, peer_why: str) -> dict:
    """One listing e-mail of n papers through the load session (headless, cold and warm: MB/s and
    peak memory against the file's size), then the peer's first paint next to ours on it."""
    res: dict = {"n": n, "kind": "email", "started": dt.datetime.now().isoformat(timespec="seconds"), "loadavg": os.getloadavg()}
    listing, info = ensure_email(n, work)
    res["archive"], res["papers"], res["bytes"], res["files"] = str(listing), info["papers"], info["bytes"], 1
    cache = work / f"headless-cache-email-{n}"
    shutil.rmtree(cache, ignore_errors=True)
    say("  headless load of the e-mail, cold …")
    res["headless_cold"] = cold = headless("load", str(listing), str(cache))
    if "error" in cold:
        res["error"] = f"headless load failed: {cold['error']}"
        return res
    if cold["papers"] != n:
        res.setdefault("problems", []).append(f"the session read {cold['papers']:,} papers, the e-mail has {n:,}")
    say("  headless load of the e-mail, warm …")
    res["headless_warm"] = headless("load", str(listing), str(cache))
    shutil.rmtree(cache, ignore_errors=True)
    say(f"  empty-app floor ({args.repeat}×) …")
    empty_app = [str(VENV_PYTHON), str(BENCH / "empty_app.py")]
    res["floor"] = firstpaint_median("floor", "bench empty app ready", 60, empty_app, work, repeat=args.repeat)
    if args.no_peer or peer_bin is None:  # digest-tui on the file all the same
        res["peer"] = {"skipped": "--no-peer" if args.no_peer else peer_why}
        res["peer"].update(ours_on_listing(n, listing, info, work, screens, our_cmd, args.repeat, 300.0, "email-"))
    else:
        timeout = max(args.peer_timeout, 1.5 * n / 1000)
        res["peer"] = peer_versus(n, listing, info, work, screens, peer_bin, our_cmd, args.repeat, timeout, "email-")
    return res


def rows_for_email(r: dict) -> list[tuple[str, str, str]]:
    """(measure, value, goal) rows for one listing e-mail."""
    if "error" in r:
        return [("error", r["error"], "")]
    mb = r["bytes"] / 1e6
    rows = [("the e-mail", f"{r['papers']:,} papers, {mb:.1f} MB", "")]
    hc, hw = r["headless_cold"], r.get("headless_warm", {})
    rate = hc.get("mb_per_s")
    rows.append((
        "headless LoadSession.run(), cold",
        f"{_s(hc.get('seconds'))} = {rate:.1f} MB/s" + _mark(rate >= EMAIL_TARGETS["mb_per_s"]),
        f"≥ {EMAIL_TARGETS['mb_per_s']:g} MB/s",
    ))  # fmt: skip
    rows.append(("headless LoadSession.run(), warm", _s(hw.get("seconds")), ""))
    # both RSS figures in MiB (ru_maxrss and VmRSS are in KiB)
    above = (hc["peak_rss_mb"] - hc["rss_before_mb"]) * 2**20 / r["bytes"] if "rss_before_mb" in hc else None
    rows.append((
        "headless peak RSS, cold (above the start's)",
        f"{_mb(hc.get('peak_rss_mb'))}" + ("" if above is None else f" ({above:.2f}× the file)")
        + _mark(None if above is None else above <= EMAIL_TARGETS["peak_x_file"]),
        f"≤ {EMAIL_TARGETS['peak_x_file']:g}× the file",
    ))  # fmt: skip
    floor = r.get("floor", {}).get("median_s")
    rows.append(("empty-app floor (first paint)", _s(floor), ""))
    peer = r.get("peer", {})
    if peer.get("skipped") and "ours_first_paint" not in peer:
        rows.append(("peer (arxiv-subscription-viewer)", f"skipped: {peer['skipped']}", ""))
        return rows
    ours_fp = peer.get("ours_first_paint", {}).get("median_s")
    x = ours_fp / floor if ours_fp and floor else None
    rows.append((
        "digest-tui first paint on the e-mail",
        _s(ours_fp) + (f" = {x:.1f}× floor" if x else "") + _mark(None if x is None else x <= EMAIL_TARGETS["first_paint_x_floor"]),
        f"≤ {EMAIL_TARGETS['first_paint_x_floor']:g}× floor",
    ))  # fmt: skip
    ours = peer.get("ours_run", {})
    rows.append(("digest-tui full load on the e-mail (app)", _s(ours.get("full_load_s")), ""))
    if peer.get("skipped"):
        rows.append(("peak RSS in the app: digest-tui", _mb(ours.get("rss_loaded_mb")), ""))
        rows.append(("peer (arxiv-subscription-viewer)", f"skipped: {peer['skipped']}", ""))
        return rows
    probe = peer.get("probe", {})
    rows.append((
        f"peer arxiv-viewer {probe.get('version', '?')}: first paint (= full load)",
        _s(peer.get("peer_first_paint", {}).get("median_s")), "",
    ))  # fmt: skip
    goal = EMAIL_TARGETS["peer_x"].get(r["n"])
    ratio = peer.get("ratio_full_load")
    rows.append((
        "peer ÷ digest-tui, all papers on screen",
        ("—" if ratio is None else f"{ratio:.1f}×") + _mark(None if ratio is None or goal is None else ratio >= goal),
        "≥ 12× at 10k, ≥ 20× at 100k",
    ))  # fmt: skip
    pr = peer.get("peer_run", {})
    rows.append(("peak RSS in the app: peer / digest-tui", f"{_mb(pr.get('rss_settled_mb'))} / {_mb(ours.get('rss_loaded_mb'))}", ""))
    return rows


# -- report ---------------------------------------------------------------------------------------


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    info = headless("info")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(ram, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": info.get("python", "?"),
        "textual": info.get("textual", "?"),
        "digest_tui": info.get("digest_tui", "?"),
        "tmux": subprocess.run(["tmux", "-V"], capture_output=True, text=True).stdout.strip(),
        "date": dt.date.today().isoformat(),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def machine_line(m: dict) -> str:
    return (
        f"{m['cpu']}, {m['cores']} cores, {m['ram_gb']:g} GB RAM, {m['os']}; Python {m['python']}, "
        f"Textual {m['textual']}, {m['tmux']}; {m['date']} "
        f"(load average at start {', '.join(map(str, m['loadavg_at_start']))})"
    )


def _s(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f} s"


def _ms(value: float | None) -> str:
    return "—" if value is None else (f"{value * 1000:.1f}" if value < 0.01 else f"{value * 1000:.0f}")


def _mb(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} MB"


def _mark(ok: bool | None) -> str:
    return "" if ok is None else (" ✓" if ok else " ✗")


def rows_for(r: dict) -> list[tuple[str, str, str]]:
    """(measure, value, target) rows for one size; the same rows make the text and Markdown tables."""
    rows: list[tuple[str, str, str]] = []
    if "error" in r:
        return [("error", r["error"], "")]
    mb = r["bytes"] / 1e6
    rows.append(("archive", f"{r['papers']:,} papers, {r['files']:,} files, {mb:.0f} MB", ""))
    floor = r["floor"]["median_s"]
    rows.append(("empty-app floor (first paint)", _s(floor), ""))
    fp = r["first_paint"]["median_s"]
    x = fp / floor if fp and floor else None
    rows.append((
        "first paint, cold",
        _s(fp) + (f" = {x:.1f}× floor" if x else "")
        + _mark(None if x is None else x <= TARGETS["first_paint_x_floor"]),
        f"≤ {TARGETS['first_paint_x_floor']:g}× floor",
    ))  # fmt: skip
    cold, warm = r.get("app_cold", {}), r.get("app_warm", {})
    # the goal holds cold or warm: the warm runs' first paint (bench/pane.py's, as the full loads')
    warm_paints = [run.get("first_paint_s") for run in [warm, *r.get("app_warm_more", [])]]
    warm_fp = statistics.median(warm_paints) if warm_paints and None not in warm_paints else None
    wx = warm_fp / floor if warm_fp and floor else None
    rows.append((
        "first paint, warm (median)",
        _s(warm_fp) + (f" = {wx:.1f}× floor" if wx else "")
        + _mark(None if wx is None else wx <= TARGETS["first_paint_x_floor"])
        + (f" (runs: {', '.join(_s(s) for s in warm_paints)})" if len(warm_paints) > 1 else ""),
        f"≤ {TARGETS['first_paint_x_floor']:g}× floor",
    ))  # fmt: skip
    cold_s = cold.get("full_load_s")
    warm_runs = [run.get("full_load_s") for run in [warm, *r.get("app_warm_more", [])]]
    warm_s = statistics.median(warm_runs) if warm_runs and None not in warm_runs else None
    rate = mb / cold_s if cold_s else None
    rows.append((
        "full load in the app, cold",
        _s(cold_s) + (f" = {rate:.1f} MB/s" if rate else "")
        + _mark(None if rate is None else rate >= TARGETS["cold_mb_per_s"]),
        f"≥ {TARGETS['cold_mb_per_s']:g} MB/s",
    ))  # fmt: skip
    cache = r.get("app_cache_after_cold", {})
    rows.append((
        "full load in the app, warm (median)",
        _s(warm_s) + _mark(None if warm_s is None else warm_s <= TARGETS["warm_s"])
        + (f" (runs: {', '.join(_s(s) for s in warm_runs)})" if len(warm_runs) > 1 else "")
        + f" (cache: {cache.get('files', 0):,} files, {cache.get('bytes', 0) / 1e6:.0f} MB)",
        f"≤ {TARGETS['warm_s']:g} s",
    ))  # fmt: skip
    hc, hw = r["headless_cold"], r.get("headless_warm", {})
    rows.append(("headless LoadSession.run(), cold", f"{_s(hc.get('seconds'))} = {hc.get('mb_per_s', 0):.1f} MB/s", ""))
    rows.append(("headless LoadSession.run(), warm", _s(hw.get("seconds")), ""))
    flt = r.get("headless_filter", {})
    if "error" in flt:
        rows.append(("filter", f"failed: {flt['error']}", ""))
    else:
        first = r.get("headless_filter_first", {})
        if "ready_s" in first:
            rows.append(("text index written on a first start (load, then the reader's finishing steps)", _s(first["ready_s"]), ""))
        ready = flt["ready_s"]
        rows.append((
            "full text and fielded ready after a warm start" + ("" if flt.get("text_index") else " (no text index: in memory)"),
            _s(ready) + _mark(ready <= TARGETS["ready_s"]),
            f"≤ {TARGETS['ready_s']:g} s",
        ))  # fmt: skip
        for kind, label, target in (
            ("title", "filter keystroke, title:mixture", TARGETS["filter_ms"]),
            ("fielded", "filter keystroke, cat: score>= author:", TARGETS["filter_ms"]),
            ("full-text", "filter keystroke, full text (mixture, 预训练)", TARGETS["fulltext_ms"]),
        ):
            k = flt["filter"][kind]
            worst = k["worst_s"]
            steps = [step for q in k["queries"] for step in q["steps"] if "shown" in step]
            at = max(steps, key=lambda step: step["s"])["typed"] if steps else ""
            rows.append((
                f"{label}: median / worst",
                f"{_ms(k['median_s'])} / {_ms(worst)} ms" + (f" (at '{at}')" if at else "")
                + _mark(None if worst is None else worst * 1000 <= target)
                + (f"; from the field on: {_ms(k['field_median_s'])} / {_ms(k['field_worst_s'])} ms"
                   if kind != "full-text" and k.get("field_worst_s") is not None else ""),
                f"≤ {target:g} ms",
            ))  # fmt: skip
    typed = cold.get("filter_typed_to_screen_s")
    rows.append((f"app: '{APP_FILTER}' typed + enter → on screen", "—" if typed is None else f"{_ms(typed)} ms", ""))
    peaks = [cold.get("rss_loaded_mb"), cold.get("rss_filtered_mb"), warm.get("rss_loaded_mb"), warm.get("rss_filtered_mb")]
    peak = max((v for v in peaks if v), default=None)
    # per paper only from 100k on: below, the interpreter and Textual (~50 MB) are most of it
    per_paper = peak * 1024 / r["papers"] if peak and r.get("papers", 0) >= 100_000 else None
    rows.append((
        "app peak RSS: loaded / after filter (cold run)",
        f"{_mb(cold.get('rss_loaded_mb'))} / {_mb(cold.get('rss_filtered_mb'))}"
        + ("" if per_paper is None else f" = {per_paper:.1f} KB a paper")
        + _mark(None if per_paper is None else per_paper <= TARGETS["rss_kb_per_paper"]),
        f"≤ {TARGETS['rss_kb_per_paper']:g} KB a paper",
    ))  # fmt: skip
    rows.append((
        "headless peak RSS: load / load+docs+filters", f"{_mb(hc.get('peak_rss_mb'))} / {_mb(flt.get('peak_rss_mb'))}", ""
    ))  # fmt: skip
    peer = r.get("peer", {})
    if "listing" in peer:
        lst = peer["listing"]
        rows.append(("peer: the listing e-mail", f"{lst['papers']:,} papers, {lst['bytes'] / 1e6:.0f} MB", ""))
    if peer.get("skipped"):
        rows.append(("peer (arxiv-subscription-viewer)", f"skipped: {peer['skipped']}", ""))
    elif "peer_first_paint" in peer:
        probe = peer.get("probe", {})
        rows.append((
            f"peer arxiv-viewer {probe.get('version', '?')}: first paint (= full load)",
            _s(peer["peer_first_paint"]["median_s"]), "",
        ))  # fmt: skip
        ours = peer.get("ours_run", {})
        rows.append((
            "digest-tui on the listing: first paint / full load",
            f"{_s(peer['ours_first_paint']['median_s'])} / {_s(ours.get('full_load_s'))}", "",
        ))  # fmt: skip
        ratio, ratio_full = peer.get("ratio_first_paint"), peer.get("ratio_full_load")
        rows.append((
            "ratio peer ÷ digest-tui: first paint / full load",
            ("—" if ratio is None else f"{ratio:.1f}×") + " / " + ("—" if ratio_full is None else f"{ratio_full:.1f}×"),
            "",
        ))  # fmt: skip
        pr = peer.get("peer_run", {})
        rows.append((
            "peak RSS on the listing: peer / digest-tui",
            f"{_mb(pr.get('rss_settled_mb'))} / {_mb(ours.get('rss_loaded_mb'))}", "",
        ))  # fmt: skip
    return rows


def problems_of(r: dict) -> list[str]:
    found = []
    for key in ("app_cold", "app_warm"):
        found += [f"{key}: {p}" for p in r.get(key, {}).get("problems", [])]
    for run in r.get("app_warm_more", []):
        found += [f"app_warm_more: {p}" for p in run.get("problems", [])]
    for key in ("floor", "first_paint"):
        found += [f"{key}: {e}" for e in r.get(key, {}).get("errors", [])]
    peer = r.get("peer", {})
    found += [f"peer: {p}" for p in peer.get("problems", [])]
    for key in ("peer_run", "ours_run"):
        found += [f"peer/{key}: {p}" for p in peer.get(key, {}).get("problems", [])]
    for key in ("peer_first_paint", "ours_first_paint"):
        found += [f"peer/{key}: {e}" for e in peer.get(key, {}).get("errors", [])]
    if r.get("headless_cold", {}).get("problems"):
        cold = r["headless_cold"]
        found.append(f"headless load: {cold['problems']} problems, e.g. {cold['first_problems'][:1]}")
    return found


def _rows(r: dict) -> list[tuple[str, str, str]]:
    return rows_for_email(r) if r.get("kind") == "email" else rows_for(r)


def text_table(r: dict) -> str:
    rows = _rows(r)
    width = max(len(row[0]) for row in rows)
    what = "one listing e-mail" if r.get("kind") == "email" else "mkcorpus N"
    lines = [f"== {r['n']:,} papers ({what}) — {r.get('archive', '')} =="]
    lines += [f"  {label:<{width}}  {value}" + (f"   [goal {target}]" if target else "") for label, value, target in rows]
    for problem in problems_of(r):
        lines.append(f"  ! {problem}")
    return "\n".join(lines)


def markdown_table(results: list[dict], m: dict) -> str:
    """One table for the archives and one for the listing e-mails, the machine under them."""
    archives = [r for r in results if r.get("kind") != "email"]
    emails = [r for r in results if r.get("kind") == "email"]
    out = []
    if archives:
        out += ["Archives (mkcorpus N):", "", _markdown(archives), ""]
    if emails:
        out += ["One listing e-mail of N papers, next to the peer:", "", _markdown(emails), ""]
    out.append(f"Machine: {machine_line(m)}.")
    return "\n".join(out)


def _markdown(results: list[dict]) -> str:
    per_size = [_rows(r) for r in results]
    labels: list[str] = []
    targets: dict[str, str] = {}
    for rows in per_size:
        for label, _, target in rows:
            if label not in labels:
                labels.append(label)
            targets[label] = targets.get(label) or target
    cells = [{label: value for label, value, _ in rows} for rows in per_size]
    head = "| measure | " + " | ".join(f"{r['n']:,}" for r in results) + " | goal (issue 18) |"
    out = [head, "|" + "---|" * (len(results) + 2)]
    for label in labels:
        values = [c.get(label, "").replace("|", "\\|") for c in cells]
        out.append(f"| {label} | " + " | ".join(values) + f" | {targets[label]} |")
    return "\n".join(out)


# -- main -----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000,100000,300000", help="papers per archive, comma-separated; 0 for none (default: %(default)s)")
    parser.add_argument("--million", action="store_true", help=f"add the {MILLION:,}-paper archive (minutes to build, ~3.3 GB, and to load)")
    parser.add_argument("--emails", default="1000,10000,100000", help="papers per listing e-mail, comma-separated; 0 for none (default: %(default)s)")
    parser.add_argument("--keep", metavar="DIR", help="work folder kept between runs: archives and listings are reused")
    parser.add_argument("--no-peer", action="store_true", help="skip arxiv-subscription-viewer")
    parser.add_argument("--peer-python", default=str(PEER_PYTHON), help="Python >= 3.13 for the peer's venv (default: %(default)s)")
    parser.add_argument("--peer-timeout", type=float, default=PEER_TIMEOUT, help="seconds the peer gets to show its papers before it is skipped (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="runs per first-paint measurement; the median is reported (default: %(default)s)")
    parser.add_argument("--output", default=str(BENCH / "results" / "latest.json"), help="where the raw results go (JSON)")
    args = parser.parse_args()
    try:
        sizes = [n for n in (int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()) if n]
        emails = [n for n in (int(s.replace("_", "")) for s in args.emails.split(",") if s.strip()) if n]
    except ValueError:
        parser.error("--sizes and --emails take numbers, e.g. 1000,10000")
    if args.million and MILLION not in sizes:
        sizes.append(MILLION)
    for needed, what in ((SEEDS, "the seed digests"), (MKCORPUS, "mkcorpus.py"), (FIRSTPAINT, "firstpaint.py")):
        if not needed.exists():
            die(f"{what} not found at {needed}: the benchmark needs ../shared next to the repository")
    if not VENV_PYTHON.exists():
        die(f"no venv python at {VENV_PYTHON}: python3 -m venv .venv && .venv/bin/pip install -e .")
    if shutil.which("tmux") is None:
        die("tmux is not installed: first paint and full load are timed in a real tmux pane")
    digest_tui = REPO / ".venv" / "bin" / "digest-tui"
    our_cmd = [str(digest_tui)] if digest_tui.exists() else [str(VENV_PYTHON), "-m", "digest_tui"]

    if args.keep:
        work = Path(args.keep).resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="digest-tui-bench-"))
    screens = work / "screens"
    screens.mkdir(exist_ok=True)
    boxes = work / "sandboxes"

    # the bytecode an installed package has (pip writes it; an editable install on its first run)
    subprocess.run([str(VENV_PYTHON), "-m", "compileall", "-q", str(REPO / "src" / "digest_tui")], check=False)
    m = machine()
    say(
        f"digest-tui scale benchmark — archives {', '.join(f'{n:,}' for n in sizes) or 'none'}, listing e-mails "
        f"{', '.join(f'{n:,}' for n in emails) or 'none'}; work folder {work}"
    )
    say(f"machine: {machine_line(m)}")
    peer_bin, peer_why = None, ""
    if not args.no_peer:
        peer_bin, peer_why = peer_setup(work, Path(args.peer_python))
        say(f"peer: {peer_bin.parent if peer_bin else 'skipped — ' + peer_why}")

    results: list[dict] = []
    output = Path(args.output)
    started = time.perf_counter()
    try:
        jobs = [(n, measure_size, "papers") for n in sizes] + [(n, measure_email, "papers in one listing e-mail") for n in emails]
        for n, measure, what in jobs:
            say(f"\n-- {n:,} {what} --")
            t0 = time.perf_counter()
            r = measure(n, work, screens, our_cmd, args, peer_bin, peer_why)
            r["bench_s"] = time.perf_counter() - t0
            results.append(r)
            say("")
            say(text_table(r))
            output.parent.mkdir(parents=True, exist_ok=True)
            raw = {"machine": m, "sizes": results}
            output.write_text(json.dumps(raw, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(boxes, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    say(f"\n-- Markdown for README.md ({time.perf_counter() - started:.0f} s in all; raw numbers in {output}) --\n")
    say(markdown_table(results, m))
    return 0


if __name__ == "__main__":
    sys.exit(main())
