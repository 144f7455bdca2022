"""Print how long a phase switch takes, beside a switch between two trivial Textual screens.

    /work/venv/bin/python benchmarks/phase_switch.py [--switches 10] [--check]

The real ``hotfix`` process opens the MetalLB example at its PR phase in a pseudo-terminal
(benchmarks/ptyharness.py) and alternates ctrl+p (to Verify) and ctrl+n (back to PR). The
floor, in the same run, is a minimal Textual app whose a / b keys switch between two screens
holding a Static each (ctrl+p is Textual's palette key there). For each switch:

- first frame: from writing the key to the arrival of the new screen's heading
  ("§5 필수" / "§6 PR"; "screen B" / "screen A" for the floor);
- settled: from writing the key to the last output before 300 ms of quiet (the screen
  has stopped repainting: layout passes, derived refreshes, autosave status).

Run at 80x24 and 200x50; medians and ratios against the floor. Targets (issue 12): first
frame ≤ 3×, settled ≤ 2× the floor.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ptyharness import PtyApp  # noqa: E402
from startup_and_typing import env_for, hotfix_command  # noqa: E402

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "metallb.toml"
TARGET_FIRST = 3.0
TARGET_SETTLED = 2.0
QUIET = 0.3

FLOOR_APP = '''
from textual.app import App
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class Page(Screen):
    def __init__(self, name):
        super().__init__()
        self.page = name

    def compose(self):
        yield Header()
        yield Static(f"screen {self.page}")
        yield Footer()


class Floor(App):
    BINDINGS = [("a", "page('A')", "next"), ("b", "page('B')", "prev"), ("q", "quit", "Quit")]

    def on_mount(self):
        self.push_screen(Page("A"))

    def action_page(self, name):
        self.switch_screen(Page(name))


if __name__ == "__main__":
    Floor().run()
'''


def switches(argv: list[str], env: dict, rows: int, cols: int, ready: str, keys: list[tuple[bytes, str]],
             count: int) -> tuple[list[float], list[float]]:
    first, settled = [], []
    with PtyApp(argv, env, rows=rows, cols=cols) as app:
        app.wait_for_text(ready, 60)
        app.wait_quiet(QUIET, 30)
        for n in range(count + 2):  # the first two warm the caches of both screens
            key, marker = keys[n % 2]
            start = app.size()
            sent = app.write(key)
            seen = app.wait_for_text(marker, 30, start=start)
            last = app.wait_quiet(QUIET, 30)
            if n >= 2:
                first.append(seen - sent)
                settled.append(last - sent)
    return first, settled


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--switches", type=int, default=10)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="hotfix-bench-") as tmp:
        home = Path(tmp)
        env = env_for(home, home / "pycache")
        floor = home / "floor.py"
        floor.write_text(FLOOR_APP, encoding="utf-8")
        (home / "drafts").mkdir()
        draft = home / "drafts" / "metallb.toml"
        draft.write_text(EXAMPLE.read_text(encoding="utf-8").replace('phase = "post"', 'phase = "pr"', 1),
                         encoding="utf-8")
        for rows, cols in ((24, 80), (50, 200)):
            h_first, h_settled = switches(hotfix_command() + ["open", str(draft)], env, rows, cols, "§6 PR",
                                          [(b"\x10", "§5 필수"), (b"\x0e", "§6 PR")], args.switches)
            f_first, f_settled = switches([sys.executable, str(floor)], env, rows, cols, "screen A",
                                          [(b"b", "screen B"), (b"a", "screen A")], args.switches)
            r_first = statistics.median(h_first) / statistics.median(f_first)
            r_settled = statistics.median(h_settled) / statistics.median(f_settled)
            ms = lambda xs: f"{statistics.median(xs) * 1000:.0f} ms"  # noqa: E731
            print(f"{cols}x{rows}: first frame hotfix {ms(h_first)} / floor {ms(f_first)} = x{r_first:.1f} "
                  f"(target ≤ {TARGET_FIRST:g}); settled hotfix {ms(h_settled)} / floor {ms(f_settled)} "
                  f"= x{r_settled:.1f} (target ≤ {TARGET_SETTLED:g}; quiet = {QUIET * 1000:.0f} ms not counted)")
            ok = ok and r_first <= TARGET_FIRST and r_settled <= TARGET_SETTLED
            time.sleep(0.1)
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
