"""The non-interactive ``hotfix`` commands: output, exit codes, one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from hotfix_tui.cli import main
from hotfix_tui.store import DraftStore


def test_new_prints_path_and_records_discovery(capsys, drafts_dir):
    assert main(["new", "--summary", "MetalLB LoadBalancer IP 할당 실패"]) == 0
    path = capsys.readouterr().out.strip()
    assert path.startswith(str(drafts_dir))
    draft = DraftStore(drafts_dir).load(path).draft
    assert draft.backlog.summary == "MetalLB LoadBalancer IP 할당 실패"
    assert draft.timeline[0].text == "문제 최초 발견" and draft.timeline[0].source == "auto"


def test_list_shows_drafts_and_broken_files(capsys, drafts_dir):
    assert main(["list"]) == 0
    assert "hotfix new" in capsys.readouterr().err
    main(["new", "--summary", "인증서 만료"])
    (drafts_dir / "broken.toml").write_text("schema = [", encoding="utf-8")
    capsys.readouterr()
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "인증서 만료" in out and "triage" in out
    assert "broken" in out and "unreadable" in out


def test_render_by_id_and_jira_format(capsys, drafts_dir, example_path):
    drafts_dir.mkdir()
    (drafts_dir / "metallb.toml").write_bytes(example_path.read_bytes())
    assert main(["render", "TERRAFORM-15", "branch"]) == 0
    assert capsys.readouterr().out == "hotfix/TERRAFORM-15-metallb-ip-pool-fix\n"
    assert main(["render", "metallb", "jira-description", "--format", "jira"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("h2. 문제 상황\n")
    assert "\n## " not in out


def test_validate_exit_codes(capsys, example_path):
    assert main(["validate", str(example_path)]) == 0
    capsys.readouterr()
    main(["new"])
    path = capsys.readouterr().out.strip()
    assert main(["validate", path]) == 1
    out = capsys.readouterr().out
    assert "backlog.priority" in out and "error" in out


def test_unknown_draft_is_one_line_exit_2(capsys):
    assert main(["render", "TERRAFORM-404", "commit"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "TERRAFORM-404" in err and "hotfix list" in err


def test_broken_draft_is_one_line_exit_2(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("schema = 1\n[backlog\n", encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("hotfix: ") and "not valid TOML" in err and "Traceback" not in err
    assert bad.read_text(encoding="utf-8") == "schema = 1\n[backlog\n"


def test_bad_config_is_one_line_exit_2(capsys, tmp_path, monkeypatch):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[ui]\nlanguage = "fr"\n', encoding="utf-8")
    monkeypatch.setenv("HOTFIX_TUI_CONFIG", str(cfg))
    assert main(["list"]) == 2
    err = capsys.readouterr().err
    assert str(cfg) in err and "language" in err


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["render", "x", "not-an-artifact"])
    assert exc.value.code == 2


def test_console_script_and_module_entry_point(tmp_path, example_path):
    env = dict(os.environ)
    for argv in ([sys.executable, "-m", "hotfix_tui"],):
        done = subprocess.run([*argv, "render", str(example_path), "pr-title"], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        assert done.stdout == "[HOTFIX] TERRAFORM-15: MetalLB IP 풀 충돌 수정\n"
