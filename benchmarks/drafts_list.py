"""Print how the drafts list scales: `hotfix list` and the home screen over 10 → 1,000 drafts.

    /work/venv/bin/python benchmarks/drafts_list.py [--runs 5] [--many 1000] [--check]

(a) `hotfix list` wall time over 10 drafts and over --many drafts (each a copy of
    examples/metallb.toml with its own id), medians; target: many ≤ 3× ten.
(b) the home screen's first usable frame over --many drafts, through a real pty, beside a
    bare Textual app's first frame (the floor) in the same batch; target ≤ 1.5× the floor.
The first run of each builds the drafts' header index (store.INDEX_NAME) and is not counted:
what is measured is what an engineer meets every time after the first.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup_and_typing import FLOOR_READY, HOTFIX_READY, MINIMAL_APP, env_for, hotfix_command, \
    time_to_first_frame  # noqa: E402

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "metallb.toml"
TARGET_LIST_RATIO = 3.0
TARGET_FRAME_RATIO = 1.5


def fill(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = EXAMPLE.read_text(encoding="utf-8")
    for i in range(count):
        body = re.sub(r'^id = ".*"$', f'id = "bench-{i:05d}"', text, count=1, flags=re.M)
        body = body.replace("TERRAFORM-15", f"TERRAFORM-{i + 1}")
        (folder / f"bench-{i:05d}.toml").write_text(body, encoding="utf-8")


def list_time(env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(hotfix_command() + ["list"], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--many", type=int, default=1000)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hotfix-bench-") as tmp:
        home = Path(tmp)
        floor_script = home / "floor.py"
        floor_script.write_text(MINIMAL_APP, encoding="utf-8")
        few_home, many_home = home / "few", home / "many"
        few_env, many_env = env_for(few_home, home / "pycache"), env_for(many_home, home / "pycache")
        fill(few_home / "drafts", 10)
        fill(many_home / "drafts", args.many)

        list_time(few_env), list_time(many_env)  # builds each index, fills caches
        few, many = [], []
        for _ in range(args.runs):
            few.append(list_time(few_env))
            many.append(list_time(many_env))
        list_ratio = statistics.median(many) / statistics.median(few)

        hotfix = hotfix_command()
        floor = [sys.executable, str(floor_script)]
        time_to_first_frame(hotfix, many_env, HOTFIX_READY)
        time_to_first_frame(floor, many_env, FLOOR_READY)
        home_frames, floor_frames = [], []
        for _ in range(args.runs):
            home_frames.append(time_to_first_frame(hotfix, many_env, HOTFIX_READY))
            floor_frames.append(time_to_first_frame(floor, many_env, FLOOR_READY))
        frame_ratio = statistics.median(home_frames) / statistics.median(floor_frames)
        shutil.rmtree(home / "pycache", ignore_errors=True)

    ms = lambda xs: " ".join(f"{x * 1000:.0f}" for x in xs)  # noqa: E731
    print(f"(a) hotfix list: 10 drafts median {statistics.median(few) * 1000:.0f} ms [{ms(few)}]")
    print(f"    hotfix list: {args.many} drafts median {statistics.median(many) * 1000:.0f} ms [{ms(many)}]")
    print(f"    ratio {list_ratio:.2f} (target ≤ {TARGET_LIST_RATIO})")
    print(f"(b) drafts list first frame, {args.many} drafts: median {statistics.median(home_frames) * 1000:.0f} ms "
          f"[{ms(home_frames)}]")
    print(f"    bare Textual app first frame: median {statistics.median(floor_frames) * 1000:.0f} ms [{ms(floor_frames)}]")
    print(f"    ratio {frame_ratio:.2f} (target ≤ {TARGET_FRAME_RATIO})")
    ok = list_ratio <= TARGET_LIST_RATIO and frame_ratio <= TARGET_FRAME_RATIO
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
