"""Print hotfix-tui's start-up time, typing latency and peak memory, measured through a real pty.

    /work/venv/bin/python benchmarks/startup_and_typing.py [--runs 5] [--keys 200] [--check]

(a) start-up: process start → first interactive frame, for bare `hotfix` (home screen,
    empty drafts folder) and for a minimal Textual app (the floor), medians and ratio;
(b) keystroke → screen latency typing into the Backlog problem TextArea that holds a
    5,000-character description, at 200x50 so form, preview and checklist all show;
(c) the app's peak RSS (VmHWM) over (b).
See benchmarks/README.md for what each figure means and how it is taken.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ptyharness import Frames, PtyApp, base_env, go_to_text_end, hotfix_argv, spread, type_and_time  # noqa: E402,F401

TARGET_RATIO = 1.5
TARGET_P95_MS = 50.0
TARGET_RSS_MB = 150.0

def textarea_app(css: str = "") -> str:
    """The floor for typing: a Textual app whose only widget is a TextArea holding the text
    of the file named by its first argument (``css`` sizes it like the field measured)."""
    return textwrap.dedent(f'''
        import sys
        from pathlib import Path

        from textual.app import App
        from textual.widgets import Footer, TextArea


        class Floor(App):
            CSS = {css!r}
            BINDINGS = [("ctrl+q", "quit", "Quit")]

            def compose(self):
                yield TextArea(Path(sys.argv[1]).read_text(encoding="utf-8"), soft_wrap=True, id="text")
                yield Footer()


        if __name__ == "__main__":
            Floor().run()
    ''')


MINIMAL_APP = '''
from textual.app import App
from textual.widgets import Footer, Header, Static


class Floor(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self):
        yield Header()
        yield Static("hello from the floor")
        yield Footer()


if __name__ == "__main__":
    Floor().run()
'''

# The last thing each app paints in its first full frame: its footer's last binding.
HOTFIX_READY = "도움말"  # key.help on the home screen's footer (ko, the default language)
FLOOR_READY = "Quit"
BACKLOG_READY = "문제 요약"



def env_for(home: Path, pycache: Path | None) -> dict[str, str]:
    env = base_env(home, HOTFIX_TUI_DRAFTS=str(home / "drafts"))
    if pycache is not None:
        # Let both apps use compiled bytecode, as an installed package does, without
        # writing __pycache__ into the source tree (this machine sets
        # PYTHONDONTWRITEBYTECODE, which would make every start recompile hotfix_tui).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def hotfix_command() -> list[str]:
    script = Path(sys.executable).parent / "hotfix"
    return [str(script)] if script.exists() else hotfix_argv()


# -- (a) start-up ------------------------------------------------------------------------


def time_to_first_frame(argv: list[str], env: dict[str, str], ready: str, timeout: float = 60) -> float:
    with PtyApp(argv, env, rows=24, cols=80) as app:
        seen = app.wait_for_text(ready, timeout)
        return seen - app.started


OPEN_READY = "사후 처리"  # the MetalLB example stands at §8: its stepper names the phase


def startup(runs: int, env: dict[str, str], floor_script: Path, args: tuple[str, ...] = (),
            ready: str = HOTFIX_READY) -> dict:
    """First frames of ``hotfix *args`` (until ``ready`` is drawn) and of the floor, interleaved."""
    hotfix = hotfix_command() + list(args)
    floor = [sys.executable, str(floor_script)]
    # One unmeasured start of each fills the bytecode and OS caches.
    time_to_first_frame(hotfix, env, ready)
    time_to_first_frame(floor, env, FLOOR_READY)
    hot, flo = [], []
    for _ in range(runs):  # interleaved, so a busy moment hurts both alike
        hot.append(time_to_first_frame(hotfix, env, ready))
        flo.append(time_to_first_frame(floor, env, FLOOR_READY))
    return {"hotfix": hot, "floor": flo, "argv": hotfix}


# -- (b) typing --------------------------------------------------------------------------


def description(chars: int) -> str:
    """A realistic problem description: Korean and ASCII prose, bullets, a log excerpt."""
    paragraphs = [
        "2025-10-19 14:30경부터 MetalLB speaker가 LoadBalancer IP를 할당하지 못해 ingress-nginx "
        "서비스가 <pending> 상태로 남아 있습니다. kubectl get svc -A 결과 EXTERNAL-IP가 비어 있음.",
        "- 영향: 외부에서 Ingress Controller로 접근 불가, 모든 공개 엔드포인트 502/timeout",
        "- 재현: kubectl -n metallb-system logs ds/speaker | grep 'no available IPs'",
        "controller log: {\"level\":\"error\",\"msg\":\"IP allocation failed\",\"pool\":\"default\","
        "\"service\":\"ingress-nginx/ingress-nginx-controller\",\"reason\":\"no available IPs\"}",
        "IPAddressPool 범위가 10.0.10.240-10.0.10.250 으로 11개뿐이며, 최근 추가된 서비스 3개가 "
        "IP를 점유한 뒤 ingress 재배포 시 반환되지 않았습니다. terraform state와 실제 CRD가 다릅니다.",
    ]
    out, i = [], 0
    while sum(len(p) + 1 for p in out) < chars:
        out.append(paragraphs[i % len(paragraphs)])
        i += 1
    return "\n".join(out)[:chars]


def make_backlog_draft(env: dict[str, str], chars: int = 0, problem: str | None = None) -> Path:
    """A draft on the Backlog screen whose problem holds ``problem`` (else ``chars`` of text)."""
    from hotfix_tui.store import DraftStore

    # No summary: focus lands on the first empty required field, the summary, and four
    # Tabs from there reach the problem TextArea.
    made = subprocess.run(hotfix_argv("new", "--summary", ""),
                          env=env, capture_output=True, text=True, timeout=60, check=True)
    path = Path(made.stdout.strip())
    store = DraftStore(path.parent)
    loaded = store.load(path)
    loaded.draft.phase = "backlog"
    loaded.draft.backlog.problem = description(chars) if problem is None else problem
    store.save(loaded)
    return path


def typing(keys: int, chars: int, env: dict[str, str]) -> dict:
    path = make_backlog_draft(env, chars)
    app = PtyApp(hotfix_argv("open", str(path)), env, rows=50, cols=200, sync_output=True)
    try:
        app.wait_for_text(BACKLOG_READY, 60)
        app.wait_quiet(0.3, 30)
        if b"\x1b[?2026h" not in app.buffer:
            raise SystemExit("the app did not use synchronized output; frames cannot be told apart")
        # summary (focus lands there: empty and required) → priority → labels → components → problem
        go_to_text_end(app, tabs=4, page_downs=40, quiet=0.3)
        frames = Frames(app)
        typed = type_and_time(app, frames, keys, timeout=10)
        t_first, t_last, text, waits = typed.first, typed.last, typed.text, typed.waits
        app.wait_quiet(0.3, 30)  # the last preview re-render
        out_bytes = app.size() - typed.start_bytes
        frames.scan()
        big = sum(1 for when, _, size in frames.ends if when >= t_first and size > 10_000)
        rss_kb = app.peak_rss_kb()
        time.sleep(1.5)  # autosave, then check the keys went where we meant
    finally:
        app.close()

    from hotfix_tui.store import DraftStore

    problem = DraftStore(path.parent).load(path).draft.backlog.problem
    expected = text.replace("\r", "\n")
    if not problem.rstrip().endswith(expected.rstrip()[-20:]):
        raise SystemExit(f"typing did not reach the end of the problem TextArea: it ends {problem[-80:]!r}")
    figures = spread(typed.latencies)
    return {
        "keys": keys,
        "median": figures["median"],
        "p95": figures["p95"],  # nearest rank
        "max": figures["max"],
        "bytes_per_key": out_bytes / keys,
        "echo_bytes": statistics.mean(typed.echo_sizes),
        "big_frames": big,
        "pauses": sum(1 for g in waits if g >= 0.2),
        "seconds": t_last - t_first,
        "rss_mb": rss_kb / 1024 if rss_kb else float("nan"),
        "chars_before": chars,
    }


# -- main --------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="start-ups of each app (default 5)")
    parser.add_argument("--keys", type=int, default=200, help="keystrokes typed (default 200)")
    parser.add_argument("--chars", type=int, default=5000, help="description length before typing")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="start as this machine does by default (PYTHONDONTWRITEBYTECODE: recompile every time)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="hotfix-bench-"))
    try:
        pycache = None if args.no_bytecode_cache else work / "pycache"
        floor_script = work / "floor_app.py"
        floor_script.write_text(textwrap.dedent(MINIMAL_APP))

        print(f"python {sys.version.split()[0]} · {sys.executable}")
        print(f"bytecode cache: {'off (PYTHONDONTWRITEBYTECODE)' if pycache is None else 'on (temp PYTHONPYCACHEPREFIX)'}")
        print()
        (work / "startup" / "drafts").mkdir(parents=True)  # bare `hotfix`: an empty drafts folder
        s = startup(args.runs, env_for(work / "startup", pycache), floor_script)
        hot, flo = statistics.median(s["hotfix"]), statistics.median(s["floor"])
        ratio = hot / flo
        print(f"(a) start-up to first interactive frame, 80x24, N={args.runs} each (median)")
        name = "hotfix" if len(s["argv"]) == 1 else "python -m hotfix_tui"
        print(f"    {name + ':':<24} {hot * 1000:5.0f} ms   "
              f"runs: {', '.join(f'{x * 1000:.0f}' for x in s['hotfix'])}")
        print(f"    {'minimal Textual app:':<24} {flo * 1000:5.0f} ms   "
              f"runs: {', '.join(f'{x * 1000:.0f}' for x in s['floor'])}")
        print(f"    ratio: {ratio:.2f}x  (target ≤ {TARGET_RATIO}x: {verdict(ratio <= TARGET_RATIO)})")
        # `hotfix open` of the MetalLB example (a copy: opening may not write, but the
        # example stays untouched either way): the phase screen's first frame.
        opened_dir = work / "open" / "drafts"
        opened_dir.mkdir(parents=True)
        example = opened_dir / "metallb.toml"
        example.write_bytes((Path(__file__).resolve().parent.parent / "examples" / "metallb.toml").read_bytes())
        o = startup(args.runs, env_for(work / "open", pycache), floor_script, ("open", str(example)), OPEN_READY)
        open_ratio = statistics.median(o["hotfix"]) / statistics.median(o["floor"])
        print(f"    {'hotfix open metallb.toml:':<24} {statistics.median(o['hotfix']) * 1000:5.0f} ms   "
              f"runs: {', '.join(f'{x * 1000:.0f}' for x in o['hotfix'])}   (floor {statistics.median(o['floor']) * 1000:.0f} ms)")
        print(f"    ratio: {open_ratio:.2f}x  (issue 12 target ≤ {TARGET_RATIO}x: {verdict(open_ratio <= TARGET_RATIO)})")
        print()

        t = typing(args.keys, args.chars, env_for(work / "typing", pycache))
        print(f"(b) keystroke → echo, Backlog problem TextArea holding {t['chars_before']} characters, "
              f"200x50 (form + preview + checklist)")
        print(f"    {t['keys']} keys in {t['seconds']:.1f}s, {t['pauses']} pauses ≥ 200 ms "
              f"(preview re-renders: {t['big_frames']} frames > 10 kB)")
        print(f"    median {t['median']:.1f} ms · p95 {t['p95']:.1f} ms · max {t['max']:.1f} ms  "
              f"(target p95 < {TARGET_P95_MS:.0f} ms: {verdict(t['p95'] < TARGET_P95_MS)})")
        print(f"    bytes written by the app per keystroke: {t['bytes_per_key']:.0f} mean "
              f"(echo frame alone: {t['echo_bytes']:.0f})")
        print()
        print(f"(c) peak RSS (VmHWM) of the app through (b): {t['rss_mb']:.1f} MB  "
              f"(target < {TARGET_RSS_MB:.0f} MB: {verdict(t['rss_mb'] < TARGET_RSS_MB)})")
        missed = not (ratio <= TARGET_RATIO and open_ratio <= TARGET_RATIO and t["p95"] < TARGET_P95_MS and t["rss_mb"] < TARGET_RSS_MB)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if (args.check and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
