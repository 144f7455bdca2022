"""Print typing cost with the preview on at 200x50, each figure beside a one-TextArea floor, through a real pty.

    /work/venv/bin/python benchmarks/preview_typing.py [--keys 200] [--samples 8] [--check]

(a) keystroke → echo p99 (and median, p95) typing at the end of a 20,000-character problem
    description at 200x50 (form, preview and checklist on screen), beside the same keys
    typed into a Textual app whose only widget is a TextArea holding the same text, as
    large as the app's problem field (76x12);
(b) bytes the app writes per typed character (all output from the first key until the
    screen is quiet: echoes, preview, checklist, autosave status, cursor blink), with an
    empty description and with 20,000 characters, beside the same floor;
(c) preview up to date after the last key: words typed into the summary (the preview's
    first line) of the 20,000-character draft; time from the word's last key to the frame
    that paints the word inside the preview column.
See benchmarks/README.md ("preview_typing.py").
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ptyharness import SYNC_END, Frames, PtyApp, go_to_text_end, spread, strip_ansi, type_and_time  # noqa: E402
from startup_and_typing import (  # noqa: E402
    BACKLOG_READY,
    FLOOR_READY,
    env_for,
    hotfix_command,
    make_backlog_draft,
    textarea_app,
)

TARGET_ECHO = 3.0
TARGET_BYTES = 1.3
TARGET_PREVIEW_MS = 150.0
_CUP_SPLIT = re.compile(rb"\x1b\[(\d+);(\d+)H")


def type_run(argv: list[str], env, ready: str, tabs: int, keys: int) -> dict:
    """Open ``argv`` at 200x50, Tab ``tabs`` times, go to the end of the text, type ``keys`` keys."""
    app = PtyApp(argv, env, rows=50, cols=200, sync_output=True)
    try:
        app.wait_for_text(ready, 120)
        go_to_text_end(app, tabs)
        typed = type_and_time(app, Frames(app), keys)
        app.wait_quiet(0.4, 60)  # the last preview / checklist repaint
        out_bytes = app.size() - typed.start_bytes
    finally:
        app.close()
    return {**spread(typed.latencies), "bytes": out_bytes / keys}


def _painted_right_of(frame: bytes, needle: str, column: int, min_row: int) -> bool:
    """Does ``frame`` paint ``needle`` at a column right of ``column``, on row ``min_row`` or below?"""
    parts = _CUP_SPLIT.split(frame)
    for i in range(1, len(parts) - 2, 3):
        row, col, data = int(parts[i]), int(parts[i + 1]), parts[i + 2]
        text = strip_ansi(data)
        at = text.find(needle)
        if at >= 0 and row >= min_row and col + at > column:
            return True
    return False


def preview_lag(argv: list[str], env, samples: int) -> list[float]:
    """Type words into the summary (focus lands there); each word's last key → the frame
    painting that word in the preview (right of the form's cursor)."""
    app = PtyApp(argv, env, rows=50, cols=200, sync_output=True)
    lags = []
    try:
        app.wait_for_text(BACKLOG_READY, 120)
        app.wait_quiet(0.5, 60)
        frames = Frames(app)
        for i in range(samples):
            word = f"pv{i}q{'xyz'[i % 3]}"
            last = 0.0
            for ch in (" " if i else "") + word:
                time.sleep(0.08)
                before = frames.cursor()
                last = app.write(ch)
                frames.wait_move(last, before, timeout=20)
            cursor_col = frames.cursor()[1]
            seen = app.chunk_count()
            deadline = time.monotonic() + 10
            found = None
            pending = b""
            while found is None and time.monotonic() < deadline:
                with app._lock:
                    new = app.chunks[seen:]
                    seen += len(new)
                for when, data in new:
                    pending += data
                    while (end := pending.find(SYNC_END)) >= 0:
                        frame, pending = pending[:end], pending[end + len(SYNC_END):]
                        if found is None and when >= last and _painted_right_of(frame, word, cursor_col, 4):
                            found = when
                if found is None:
                    time.sleep(0.005)
            if found is None:
                raise SystemExit(f"the preview never showed {word!r}")
            lags.append((found - last) * 1000)
            app.wait_quiet(0.4, 60)
    finally:
        app.close()
    return lags


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keys", type=int, default=200, help="keystrokes typed per run (default 200)")
    parser.add_argument("--chars", type=int, default=20_000, help="description length (default 20,000)")
    parser.add_argument("--samples", type=int, default=8, help="words timed for (c) (default 8)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="hotfix-preview-"))
    try:
        env = env_for(work / "home", work / "pycache")
        area_script = work / "textarea_app.py"
        # The floor: one TextArea holding the same text, the size of the app's problem field at
        # 200x50 (76x12), so both repaint the same area per key.
        area_script.write_text(textarea_app("#text { width: 76; height: 12; }"))
        hotfix = hotfix_command()
        results = {}
        for chars in (0, args.chars):
            draft = make_backlog_draft(env, chars)
            from hotfix_tui.store import DraftStore

            text = DraftStore(draft.parent).load(draft).draft.backlog.problem
            text_file = work / f"text-{chars}.txt"
            text_file.write_text(text, encoding="utf-8")
            floor_argv = [sys.executable, str(area_script), str(text_file)]
            # interleaved: hotfix, floor (one unmeasured start of each first: caches)
            PtyApp(floor_argv, env, rows=50, cols=200, sync_output=True).close()
            results[("hotfix", chars)] = type_run(hotfix + ["open", str(draft)], env, BACKLOG_READY, 4, args.keys)
            results[("floor", chars)] = type_run(floor_argv, env, FLOOR_READY, 0, args.keys)
        lag_draft = make_backlog_draft(env, args.chars)
        lags = preview_lag(hotfix + ["open", str(lag_draft)], env, args.samples)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"python {sys.version.split()[0]} · 200x50 · {args.keys} keys per run")
    print()
    ok = True
    h, f = results[("hotfix", args.chars)], results[("floor", args.chars)]
    ratio = h["p99"] / f["p99"]
    ok &= ratio <= TARGET_ECHO
    print(f"(a) keystroke → echo, {args.chars:,}-character description, preview on")
    for name, r in (("hotfix (form + preview + checklist)", h), ("floor: one TextArea (76x12), same text", f)):
        print(f"    {name + ':':<38} median {r['median']:6.1f} ms  p95 {r['p95']:6.1f} ms  "
              f"p99 {r['p99']:6.1f} ms  max {r['max']:6.1f} ms")
    print(f"    p99 ratio ×{ratio:.2f} (target ≤ {TARGET_ECHO:g}: {'met' if ratio <= TARGET_ECHO else 'MISSED'})")
    print()
    print("(b) bytes written per typed character")
    for chars in (0, args.chars):
        hb, fb = results[("hotfix", chars)]["bytes"], results[("floor", chars)]["bytes"]
        ok &= hb / fb <= TARGET_BYTES
        print(f"    {chars:>6,} chars: hotfix {hb:7,.0f}  floor {fb:7,.0f}  ×{hb / fb:.2f} "
              f"(target ≤ {TARGET_BYTES:g}: {'met' if hb / fb <= TARGET_BYTES else 'MISSED'})")
    print()
    lag = sorted(lags)
    worst = lag[-1]
    ok &= worst <= TARGET_PREVIEW_MS
    print(f"(c) preview up to date after the last key ({args.chars:,}-character draft, {len(lags)} words): "
          f"median {statistics.median(lag):.0f} ms  max {worst:.0f} ms "
          f"(target ≤ {TARGET_PREVIEW_MS:g} ms: {'met' if worst <= TARGET_PREVIEW_MS else 'MISSED'})")
    print(f"    each: {', '.join(f'{v:.0f}' for v in lags)}")
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
