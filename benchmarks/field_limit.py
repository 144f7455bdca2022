"""Print open time and keystroke latency at the field size limit, each beside a floor, through a real pty.

    /work/venv/bin/python benchmarks/field_limit.py [--runs 3] [--keys 120]

(a) open: `hotfix open DRAFT` → first interactive frame, for a draft whose problem
    description is at the limit (model.FIELD_LIMIT_TEXT characters), and → the one-line
    refusal for a draft holding a 5 MB description (over the limit; issue 8 row 13),
    beside two floors: a minimal Textual app, and a Textual app with one TextArea
    holding the same limit-sized text;
(b) keystroke → echo typing the last characters up to the limit into that description
    (the preview, validation and checklist re-render on pauses), beside the same keys
    typed into the one-TextArea floor.
Medians, p95 and ratios are printed. See benchmarks/README.md ("field_limit.py").
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ptyharness import Frames, PtyApp, go_to_text_end, spread, type_and_time  # noqa: E402
from startup_and_typing import (  # noqa: E402
    BACKLOG_READY,
    FLOOR_READY,
    MINIMAL_APP,
    textarea_app,
    description,
    env_for,
    hotfix_command,
    make_backlog_draft,
    time_to_first_frame,
)

PAGE_DOWNS = 400  # enough to reach the end of a 50,000-character text in the field's 12 rows


def open_times(runs: int, env, cases: dict[str, tuple[list[str], str]]) -> dict[str, list[float]]:
    for argv, ready in cases.values():  # one unmeasured start each (bytecode, OS caches)
        time_to_first_frame(argv, env, ready)
    out: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):  # interleaved, so a busy moment hurts all alike
        for name, (argv, ready) in cases.items():
            out[name].append(time_to_first_frame(argv, env, ready, timeout=120))
    return out


def type_into(argv: list[str], env, ready: str, tabs: int, keys: int) -> list[float]:
    """Open ``argv`` at 200x50, Tab ``tabs`` times, go to the end of the text, type ``keys`` keys."""
    app = PtyApp(argv, env, rows=50, cols=200, sync_output=True)
    try:
        app.wait_for_text(ready, 120)
        go_to_text_end(app, tabs, page_downs=PAGE_DOWNS)
        typed = type_and_time(app, Frames(app), keys)
        app.wait_quiet(0.5, 60)
        time.sleep(1.5)  # autosave
    finally:
        app.close()
    return typed.latencies


def stats(values: list[float]) -> tuple[float, float, float]:
    figures = spread(values)
    return figures["median"], figures["p95"], figures["max"]


def main() -> int:
    from hotfix_tui.model import FIELD_LIMIT_TEXT
    from hotfix_tui.store import DraftStore

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="opens of each case (default 3)")
    parser.add_argument("--keys", type=int, default=120, help="keystrokes typed (default 120)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="hotfix-limit-"))
    try:
        env = env_for(work / "home", work / "pycache")
        floor_script = work / "floor_app.py"
        floor_script.write_text(textwrap.dedent(MINIMAL_APP))
        area_script = work / "textarea_app.py"
        area_script.write_text(textarea_app())
        at_limit = description(FIELD_LIMIT_TEXT - args.keys)
        text_file = work / "text.txt"
        text_file.write_text(at_limit, encoding="utf-8")
        huge = description(5_000_000)
        limit_draft = make_backlog_draft(env, problem=at_limit)
        huge_draft = make_backlog_draft(env, problem=huge)
        hotfix = hotfix_command()
        print(f"python {sys.version.split()[0]} · field limit {FIELD_LIMIT_TEXT:,} characters (multi-line)")
        print()

        cases = {
            "floor: minimal Textual app": ([sys.executable, str(floor_script)], FLOOR_READY),
            "floor: one TextArea, same text": ([sys.executable, str(area_script), str(text_file)], FLOOR_READY),
            f"hotfix open, description {len(at_limit):,} chars": (hotfix + ["open", str(limit_draft)], BACKLOG_READY),
            # Over the limit: the wizard refuses at once, naming the field (row 13); timed to that message.
            f"hotfix open, {len(huge):,} chars → refusal": (hotfix + ["open", str(huge_draft)], "hotfix validate"),
        }
        opened = open_times(args.runs, env, cases)
        floor = statistics.median(opened["floor: minimal Textual app"])
        area = statistics.median(opened["floor: one TextArea, same text"])
        print(f"(a) open → first interactive frame (the refusal line for 5 MB), 80x24, N={args.runs} each "
              f"(median; ratio to each floor)")
        for name, values in opened.items():
            med = statistics.median(values)
            print(f"    {name + ':':<46} {med * 1000:6.0f} ms   ×{med / floor:4.2f} minimal  "
                  f"×{med / area:4.2f} TextArea   runs: {', '.join(f'{v * 1000:.0f}' for v in values)}")
        print()

        lat_app = type_into(hotfix + ["open", str(limit_draft)], env, BACKLOG_READY, tabs=4, keys=args.keys)
        lat_floor = type_into([sys.executable, str(area_script), str(text_file)], env, FLOOR_READY, tabs=0,
                              keys=args.keys)
        problem = DraftStore(limit_draft.parent).load(limit_draft).draft.backlog.problem
        a, f = stats(lat_app), stats(lat_floor)
        print(f"(b) keystroke → echo, {args.keys} keys typed at the end of a {len(at_limit):,}-character "
              f"description up to {len(problem):,} (limit {FIELD_LIMIT_TEXT:,}), 200x50")
        print(f"    {'hotfix (form + preview + checklist):':<40} median {a[0]:6.1f} ms   p95 {a[1]:6.1f} ms   "
              f"max {a[2]:6.1f} ms")
        print(f"    {'floor: one TextArea, same text:':<40} median {f[0]:6.1f} ms   p95 {f[1]:6.1f} ms   "
              f"max {f[2]:6.1f} ms")
        print(f"    ratio hotfix / floor: median ×{a[0] / f[0]:.2f}   p95 ×{a[1] / f[1]:.2f}")
        if len(problem) != FIELD_LIMIT_TEXT:
            print(f"    note: the draft's description has {len(problem):,} characters after typing "
                  f"(expected {FIELD_LIMIT_TEXT:,}): the keys did not all land in it")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
