"""Print how long `hotfix stats` takes over 1,000 drafts (issue 13: target under 1 s).

    /work/venv/bin/python benchmarks/stats.py [--runs 5] [--many 1000] [--check]
    /work/venv/bin/python benchmarks/stats.py --fill DIR [--many 40]   # only write the drafts

The drafts are the MetalLB example with facts a real incident leaves (discovery, branch,
push, PR, review request, merge, apply, monitoring, some overrides), their times drawn
from a seeded random walk, stopped at every phase. The wall time of the real `hotfix
stats` process is measured (start-up included): once cold (no `.hotfix-stats.json`: every
draft parsed), then --runs warm runs (the cache read back, no draft parsed), and the same
for `--json`. Target: the warm median under 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from startup_and_typing import env_for, hotfix_command  # noqa: E402

from hotfix_tui.model import PHASES, Event, from_dict  # noqa: E402
from hotfix_tui.store import dumps  # noqa: E402

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "metallb.toml"
TARGET_SECONDS = 1.0
KST = dt.timezone(dt.timedelta(hours=9))
GATES = ("g.check_failed", "g.not_monitored", "fact.validate", "g.verify_items", "checklist.rca_done")


def fill(folder: Path, count: int, seed: int = 13) -> None:
    """``count`` drafts with facts in ``folder`` (seeded: the same drafts every time)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(EXAMPLE, "rb") as fh:
        data = tomllib.load(fh)
    rnd = random.Random(seed)
    start = dt.datetime(2026, 1, 5, 9, 0, tzinfo=KST)
    for i in range(count):
        draft = from_dict(data)
        draft.id = f"bench-{i:05d}"
        draft.backlog.jira_key = f"TERRAFORM-{i + 1}"
        found = start + dt.timedelta(hours=7 * i + rnd.randint(0, 6), minutes=rnd.randint(0, 59))
        draft.created_at = found.isoformat()
        # The example's own rows are of its 2025 incident: this one has its discovery and a typed cause row.
        draft.backlog.since = ""
        draft.timeline = [Event(at=found.isoformat(), text="문제 최초 발견", source="auto", milestone=True),
                          Event(at=(found + dt.timedelta(minutes=rnd.randint(5, 60))).isoformat(),
                                text="원인 파악", source="user", milestone=True)]
        stop = rnd.choice(PHASES[2:] + ("post",) * 6)  # most incidents are closed
        when = found
        steps = [("branch", "branch", "created_at", 5, 40), ("commit", "commit", "pushed_at", 10, 120),
                 ("pr", "pr", "opened_at", 3, 30), ("merge", "merge", "merged_at", 10, 150),
                 ("merge", "deploy", "applied_at", 5, 40), ("post", "deploy", "monitor_ended_at", 30, 60)]
        for phase, section, attr, low, high in steps:
            if PHASES.index(phase) > PHASES.index(stop):
                break
            when += dt.timedelta(minutes=rnd.randint(low, high))
            setattr(getattr(draft, section), attr, when.isoformat())
            if attr == "opened_at":
                draft.pr.number = i + 1
                draft.merge.review_requested_at = when.isoformat()
            if attr == "merged_at":
                draft.merge.self_merge = rnd.random() < 0.1
            if attr == "monitor_ended_at":
                draft.deploy.outcome = "stable" if rnd.random() < 0.9 else "regressed"
        draft.phase = stop
        draft.done_phases = list(PHASES[:PHASES.index(stop)])
        for _ in range(rnd.choice((0, 0, 0, 1, 2))):
            draft.add_override(rnd.choice(PHASES[3:]), rnd.choice(GATES), "benchmark", at=when.isoformat(), by="bench")
        (folder / f"{draft.id}.toml").write_text(dumps(draft), encoding="utf-8")


def stats_time(env: dict[str, str], *extra: str) -> float:
    begin = time.perf_counter()
    subprocess.run(hotfix_command() + ["stats", *extra], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - begin


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--many", type=int, default=1000)
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    parser.add_argument("--fill", metavar="DIR", help="only write the drafts into DIR (to look at them)")
    args = parser.parse_args()
    if args.fill:
        fill(Path(args.fill), args.many)
        return 0
    with tempfile.TemporaryDirectory(prefix="hotfix-bench-") as tmp:
        home = Path(tmp)
        env = env_for(home, home / "pycache")
        fill(home / "drafts", args.many)
        cache = home / "drafts" / ".hotfix-stats.json"
        stats_time(env, "--help")  # bytecode for the first measured run, as an installed package has
        cold = stats_time(env)
        warm = [stats_time(env) for _ in range(args.runs)]
        warm_json = [stats_time(env, "--json") for _ in range(args.runs)]
        cache.unlink()
        cold_json = stats_time(env, "--json")
    ms = lambda xs: " ".join(f"{x * 1000:.0f}" for x in xs)  # noqa: E731
    median = statistics.median(warm)
    print(f"hotfix stats, {args.many} drafts: cold (no cache) {cold * 1000:.0f} ms; "
          f"warm median {median * 1000:.0f} ms [{ms(warm)}]")
    print(f"hotfix stats --json: cold {cold_json * 1000:.0f} ms; warm median "
          f"{statistics.median(warm_json) * 1000:.0f} ms [{ms(warm_json)}]")
    print(f"target: warm under {TARGET_SECONDS * 1000:.0f} ms")
    return 0 if median < TARGET_SECONDS or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
