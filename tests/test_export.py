"""Issue 13, item 4: one incident, one document (`hotfix export`), checked against golden files.

Regenerate the golden files after an intended change with
``HOTFIX_UPDATE_GOLDEN=1 pytest tests/test_export.py`` and read the diff.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest

from hotfix_tui.cli import main
from hotfix_tui.model import CheckRun, CheckState, Draft, Event, Override, PodSample, to_dict
from hotfix_tui.render import RenderContext
from hotfix_tui.store import DraftStore
from hotfix_tui.workflow import export

GOLDEN = Path(__file__).resolve().parent / "golden"
ESC = "\x1b"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def config(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "config.toml"
    path.write_text('[ui]\nlanguage = "ko"\ntimezone = "Asia/Seoul"\n', encoding="utf-8")
    monkeypatch.setenv("HOTFIX_TUI_CONFIG", str(path))
    return path


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("HOTFIX_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


@pytest.mark.parametrize("fmt, name", [("markdown", "export-metallb.md"), ("json", "export-metallb.json"),
                                       ("html", "export-metallb.html")])
def test_export_of_the_metallb_example_matches_the_golden_file(capsys, config, example_path, fmt, name):
    """"`hotfix export DRAFT [--format markdown|html|json]` writes the whole incident: report,
    RCA with the milestone timeline and the detail log, §10 checklist with who/when/why,
    overrides, checks with commands and results, plan review summary, PR/Jira links,
    monitoring samples" — acceptance: "export of the MetalLB example matching a golden file"."""
    assert main(["export", str(example_path), "--format", fmt]) == 0
    out = capsys.readouterr().out
    _golden(name, out)


def test_the_markdown_export_holds_every_part_and_reuses_the_renderers(capsys, config, example_path):
    """"writes the whole incident: report, RCA with the milestone timeline and the detail log,
    §10 checklist …": the report and the RCA are the `hotfix render` artifacts, verbatim."""
    assert main(["render", str(example_path), "report"]) == 0
    report = capsys.readouterr().out
    assert main(["render", str(example_path), "rca"]) == 0
    rca = capsys.readouterr().out
    assert main(["export", str(example_path)]) == 0  # markdown is the default
    doc = capsys.readouterr().out
    assert doc.startswith(report.rstrip("\n"))
    assert rca.rstrip("\n") in doc
    for heading in ("## 링크", "### 상세 기록", "## §10 체크리스트 (0/17)", "## 게이트 예외", "## 계획 검토",
                    "## 점검 실행 기록", "## 모니터링", "### pod 표본 (0개)"):
        assert heading in doc, heading
    assert "`terraform plan -input=false -out=hotfix.tfplan -detailed-exitcode`" in doc


def _incident() -> Draft:
    """A draft with every part filled, and hostile text in its fields."""
    draft = Draft(id="hostile", created_at="2025-10-19T14:40:00+09:00", phase="post")
    draft.backlog.summary = f"MetalLB {SCRIPT} {ESC}[31mred{ESC}[0m"
    draft.backlog.jira_key = "TERRAFORM-16"
    draft.backlog.jira_url = "javascript:alert(4)"
    draft.backlog.problem = f"line one\n<img src=x onerror=alert(2)>\n[click](javascript:alert(3))\n\u202eevil"
    draft.report.summary = f"summary {ESC}]0;title{ESC}\\ end"
    draft.pr.number = 42
    draft.pr.url = "https://github.com/acme/infra/pull/42"
    draft.commit.sha = "0123456789abcdef"
    draft.timeline = [Event("2025-10-19T14:30:00+09:00", "문제 최초 발견", "auto", True),
                      Event("2025-10-19T14:50:00+09:00", f"kubectl said {ESC}[2J{SCRIPT}", "auto", False)]
    draft.checklist = {
        "local_verified": CheckState(True, "2025-10-19T14:55:00+09:00", "auto", "terraform validate 통과"),
        "test_env_verified": CheckState(True, "2025-10-19T15:05:00+09:00", "user", ""),
        "monitored": CheckState(True, "2025-10-19T16:00:00+09:00", "user", f"watched by hand {SCRIPT}"),
    }
    draft.overrides = [Override("merge", "g.not_monitored", "monitoring shorter than 30 min",
                                "2025-10-19T16:00:00+09:00", "kim", f"customer waiting {ESC}[5m")]
    draft.checks.runs = [CheckRun("plan", "terraform plan -input=false -out=.terraform/hotfix.tfplan", "passed",
                                  "2025-10-19T14:56:00+09:00", 8400, 2, "Plan: 0 to add, 1 to change, 0 to destroy.",
                                  f"~ resource \"x\"\n```\n</pre>{SCRIPT}\n{ESC}[1mbold", "abc")]
    draft.deploy.plan_file = ".terraform/hotfix.tfplan"
    draft.deploy.plan_reviewed_at = "2025-10-19T14:58:00+09:00"
    draft.deploy.applied_at = "2025-10-19T15:20:00+09:00"
    draft.deploy.monitor_started_at = "2025-10-19T15:21:00+09:00"
    draft.deploy.monitor_ended_at = "2025-10-19T15:51:00+09:00"
    draft.deploy.outcome = "regressed"
    draft.deploy.samples = [PodSample("2025-10-19T15:22:00+09:00", 3, [], 2),
                            PodSample("2025-10-19T15:23:00+09:00", 3, [f"web|1{ESC}[K<b>"], 4)]
    return draft


def test_html_export_escapes_every_draft_value(tmp_path, capsys, config):
    """"HTML: a self-contained page rendered from the markdown with markdown-it-py, every draft
    value escaped (no raw HTML from the draft passes through); control characters in draft
    values are made visible": a `<script>`, an `<img onerror>`, a javascript: link, ESC and
    bidi controls in the fields arrive as text."""
    path = DraftStore(tmp_path / "drafts").create(_incident()).path
    assert main(["export", str(path), "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page and "<link" not in page
    assert "<script" not in page and "<img" not in page and "<b>" not in page and "</pre><script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "javascript:" not in "".join(re.findall(r'href="[^"]*"', page))  # a typed Jira URL too
    assert ESC not in page and "\u202e" not in page
    assert "␛[31mred␛[0m" in page and "⟨U+202E⟩evil" in page
    assert '<a href="https://github.com/acme/infra/pull/42">#42</a>' in page


def test_markdown_export_shows_controls_and_the_incidents_facts(tmp_path, capsys, config):
    """"§10 checklist with who/when/why (auto-tick reasons), overrides, checks with their
    commands and results, plan review summary, PR/Jira links, monitoring samples", with the
    controls of draft values made visible."""
    path = DraftStore(tmp_path / "drafts").create(_incident()).path
    assert main(["export", "TERRAFORM-16"]) == 0
    doc = capsys.readouterr().out
    assert ESC not in doc and "\u202e" not in doc
    assert "- [x] 로컬 환경에서 검증 — 2025-10-19 14:55, 자동: terraform validate 통과" in doc
    assert f"- [x] 모니터링 (최소 30분) — 2025-10-19 16:00, 직접 체크; 사유: watched by hand {SCRIPT}" in doc
    assert "- [merge] monitoring shorter than 30 min — customer waiting ␛[5m (2025-10-19 16:00, kim)" in doc
    assert "- PR: [#42](https://github.com/acme/infra/pull/42)" in doc
    assert "- 커밋: `0123456789abcdef`" in doc
    assert "- 검토한 계획 파일: `.terraform/hotfix.tfplan`" in doc
    assert "- 2025-10-19 14:50 [auto] kubectl said ␛[2J" in doc
    assert "| 2025-10-19 15:23:00 | 3 | 1 | 4 | web\\|1␛[K<b> |" in doc
    assert "  ````\n  ~ resource" in doc  # the output's own ``` cannot close its block
    assert path.exists()


def test_json_export_is_the_facts_with_no_token_and_no_raw_controls(tmp_path, capsys, config, monkeypatch):
    """"JSON: the facts as structured data (the draft's dict plus derived checklist state),
    tokens never in it"; control characters are escapes, the data itself exact."""
    monkeypatch.setenv("JIRA_API_TOKEN", "jira-secret-token-123")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret456")
    draft = _incident()
    path = DraftStore(tmp_path / "drafts").create(draft).path
    out = tmp_path / "out" / "incident.json"
    out.parent.mkdir()
    assert main(["export", str(path), "--format", "json", "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    text = out.read_text(encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "secret" not in text and "token" not in text.lower()
    assert ESC not in text and "\u202e" not in text
    data = json.loads(text)
    assert data["draft"] == json.loads(json.dumps(to_dict(DraftStore(tmp_path / "drafts").load(path).draft)))
    assert data["draft"]["backlog"]["summary"] == draft.backlog.summary  # exact, escapes and all
    items = {row["id"]: row for row in data["checklist"]["items"]}
    assert data["checklist"]["done"] == 3 and data["checklist"]["total"] == 17
    assert items["local_verified"]["by"] == "auto" and items["local_verified"]["decided_by_fact"]
    assert items["deployed"]["auto_reason"] and not items["deployed"]["checked"]  # derived: applied_at is set
    assert data["draft"]["deploy"]["samples"][1]["not_ready"] == [f"web|1{ESC}[K<b>"]


def test_export_exit_codes(tmp_path, capsys, config, example_path):
    """`hotfix export`: a missing draft, an unknown format and an unwritable -o are one line
    and exit 2; nothing half-written is left."""
    assert main(["export", "TERRAFORM-404"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("hotfix: ") and err.count("\n") == 1
    with pytest.raises(SystemExit) as exc:
        main(["export", str(example_path), "--format", "pdf"])
    assert exc.value.code == 2
    capsys.readouterr()
    target = tmp_path / "no-such-folder" / "out.md"
    assert main(["export", str(example_path), "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("hotfix: ") and err.count("\n") == 1 and str(target) in err
    assert not target.parent.exists()


def test_export_function_refuses_an_unknown_format():
    with pytest.raises(ValueError):
        export.export(Draft(), "pdf", RenderContext())


def test_json_facts_hold_no_template_stand_ins():
    """JSON is facts: a Jira key, link or branch not known yet is "", not the Markdown's {…} guidance."""
    data = export.facts_dict(Draft(), RenderContext())
    assert data["jira_key"] == data["jira_url"] == data["branch"] == ""
