"""The seed's examples, rendered from examples/metallb.toml, byte for byte."""

from __future__ import annotations

import hashlib

import pytest

from hotfix_tui.cli import main
from hotfix_tui.model import Draft
from hotfix_tui.render import RenderContext, render
from hotfix_tui.store import DraftStore

from . import seed


@pytest.fixture
def metallb(example_path):
    return DraftStore(example_path.parent).load(example_path).draft


def run_render(capsys, *argv) -> str:
    assert main(["render", *argv]) == 0
    return capsys.readouterr().out


def test_the_repositorys_seed_is_the_seed():
    """The copy in docs/ is the seed byte for byte: pinned by its hash, so a clone without
    ``../shared`` checks it too, and equal to ``../shared``'s where that is beside the project."""
    data = seed.SEED.read_bytes()
    assert hashlib.sha256(data).hexdigest() == seed.SEED_SHA256
    if seed.SHARED_SEED.exists():
        assert data == seed.SHARED_SEED.read_bytes()


def test_jira_title_is_seed_2_3(capsys, example_path):
    title, _ = seed.jira_example()
    assert title == "[HOTFIX] MetalLB LoadBalancer IP 할당 실패"
    assert run_render(capsys, str(example_path), "jira-title") == title + "\n"


def test_jira_description_is_seed_2_3(capsys, example_path):
    _, body = seed.jira_example()
    assert body.startswith("## 문제 상황\n")
    assert run_render(capsys, str(example_path), "jira-description") == body


def test_branch_is_seed_3_1(capsys, example_path):
    assert seed.branch_example() == "hotfix/TERRAFORM-15-metallb-ip-pool-fix"
    assert run_render(capsys, str(example_path), "branch") == seed.branch_example() + "\n"


def test_commit_is_seed_4_3(capsys, example_path):
    expected = seed.commit_example()
    assert expected.startswith("[TERRAFORM-15] hotfix: MetalLB IP 풀 범위 DHCP 충돌 수정\n\n문제: ")
    assert run_render(capsys, str(example_path), "commit") == expected


def test_pr_title_is_seed_6_1(capsys, example_path):
    assert seed.pr_title_example() == "[HOTFIX] TERRAFORM-15: MetalLB IP 풀 충돌 수정"
    assert run_render(capsys, str(example_path), "pr-title") == seed.pr_title_example() + "\n"


def test_pr_body_is_seed_6_3(capsys, example_path):
    expected = seed.pr_body_example()
    assert expected.startswith("## 🚨 긴급 수정 사항\n")
    assert run_render(capsys, str(example_path), "pr-body") == expected


def test_rca_uses_seed_8_1_headings_and_timeline(metallb):
    text = render(metallb, "rca", RenderContext())
    block = seed.fenced_block("### 8.1 ")
    # The seed's RCA example timeline is the example draft's timeline.
    timeline = block.split("### 타임라인\n", 1)[1].split("\n\n", 1)[0]
    assert f"### 타임라인\n{timeline}\n\n" in text
    for heading in ("## RCA (Root Cause Analysis)", "### 근본 원인", "### 재발 방지 대책", "### 프로세스 개선"):
        assert heading + "\n" in block and heading + "\n" in text


def test_report_matches_seed_8_3_where_the_seed_is_concrete(metallb):
    text = render(metallb, "report", RenderContext())
    block = seed.fenced_block("### 8.3 ")
    # The seed leaves 문제 상세 / 해결 방법 as guidance; every concrete section must match.
    for section in ("# Hotfix 리포트: TERRAFORM-15\n\n## 요약\n", "## 영향도\n", "## 배운 점\n", "## 재발 방지\n"):
        start = block.index(section)
        end = block.find("\n\n", start + len(section))
        chunk = block[start : end if end != -1 else len(block)]
        assert chunk in text


def test_empty_draft_shows_template_guidance_not_blanks():
    ctx = RenderContext()
    draft = Draft()
    description = render(draft, "jira-description", ctx)
    template = seed.fenced_block("### 2.2 ")
    assert description == template  # an empty draft *is* the §2.2 template
    commit = render(draft, "commit", ctx)
    assert commit.startswith("[TERRAFORM-XX] hotfix: {문제 요약}\n\n문제: {구체적인 문제}\n")
    assert "- {테스트 항목 1}\n- {테스트 항목 2}" in commit
    assert commit.endswith("JIRA: {백로그 링크}\n")
    assert render(draft, "branch", ctx) == "hotfix/TERRAFORM-XX-{간단한-설명}\n"
    body = render(draft, "pr-body", ctx)
    assert "### 수정 내용\n- {변경 사항 1}\n- {변경 사항 2}\n" in body
    assert "- [ ] terraform validate 통과\n" in body
    assert "- JIRA: [TERRAFORM-XX]({백로그 링크})\n" in body


def test_pr_template_matches_seed_6_2_once_items_are_ticked():
    draft = Draft()
    for item in draft.pr.tests:
        item.checked = True
    assert render(draft, "pr-body", RenderContext()) == seed.fenced_block("### 6.2 ")


def test_summaries_follow_the_previous_phase_until_edited():
    draft = Draft()
    draft.backlog.summary = "Ingress 인증서 만료"
    ctx = RenderContext()
    assert render(draft, "commit", ctx).startswith("[TERRAFORM-XX] hotfix: Ingress 인증서 만료\n")
    assert render(draft, "pr-title", ctx) == "[HOTFIX] TERRAFORM-XX: Ingress 인증서 만료\n"
    draft.commit.summary = "cert-manager 갱신 수정"
    assert render(draft, "pr-title", ctx) == "[HOTFIX] TERRAFORM-XX: cert-manager 갱신 수정\n"
    draft.pr.summary = "인증서 갱신"
    assert render(draft, "pr-title", ctx) == "[HOTFIX] TERRAFORM-XX: 인증서 갱신\n"
    assert render(draft, "jira-title", ctx) == "[HOTFIX] Ingress 인증서 만료\n"


def test_typed_hotfix_prefix_is_not_doubled():
    draft = Draft()
    draft.backlog.summary = "[HOTFIX] Ingress SSL 인증서 오류"
    assert render(draft, "jira-title", RenderContext()) == "[HOTFIX] Ingress SSL 인증서 오류\n"


def test_expected_vs_actual_become_the_last_reproduction_step():
    draft = Draft()
    draft.backlog.repro_steps = ["curl -v https://app", "인증서 만료 오류"]
    draft.backlog.expected = "200 OK"
    draft.backlog.actual = "SSL 오류"
    text = render(draft, "jira-description", RenderContext())
    assert "## 재현 방법\n1. curl -v https://app\n2. 인증서 만료 오류\n3. 예상 결과: 200 OK / 실제 결과: SSL 오류\n" in text


def test_jira_url_built_from_config_when_draft_has_only_the_key():
    draft = Draft()
    draft.backlog.jira_key = "TERRAFORM-16"
    ctx = RenderContext(jira_url="https://jira.example.test/")
    assert render(draft, "commit", ctx).endswith("JIRA: https://jira.example.test/browse/TERRAFORM-16\n")


def test_regular_bugfix_path_uses_section_9_branch_and_no_hotfix_prefix():
    draft = Draft()
    draft.triage.verdict = "bugfix"
    draft.backlog.summary = "Grafana dashboard typo"
    draft.backlog.jira_key = "TERRAFORM-20"
    ctx = RenderContext()
    assert render(draft, "branch", ctx) == "TERRAFORM-20-grafana-dashboard-typo\n"
    assert render(draft, "jira-title", ctx) == "Grafana dashboard typo\n"
    assert render(draft, "pr-title", ctx) == "TERRAFORM-20: Grafana dashboard typo\n"
    assert "긴급" not in render(draft, "pr-body", ctx)


def test_english_has_the_same_structure(metallb):
    ko = render(metallb, "jira-description", RenderContext())
    en = render(metallb, "jira-description", RenderContext(language="en"))
    assert en.startswith("## Problem\nMetalLB가")
    assert ko.count("\n## ") == en.count("\n## ")
    assert [line for line in ko.splitlines() if not line.startswith("#")] == [
        line for line in en.splitlines() if not line.startswith("#")
    ]
    commit = render(metallb, "commit", RenderContext(language="en"))
    assert "\nProblem: MetalLB IP" in commit and "\nTests:\n- terraform plan" in commit


def test_followups_link_back_to_the_hotfix(metallb):
    text = render(metallb, "followups", RenderContext())
    assert text.startswith("제목: LoadBalancer 서비스 헬스체크 모니터링 추가\n유형: 모니터링 강화\n")
    assert text.endswith("관련 Hotfix: [TERRAFORM-15](https://gjrjr4545.atlassian.net/browse/TERRAFORM-15)\n")


def test_timeline_shows_dates_when_it_spans_days():
    draft = Draft()
    draft.add_event("발견", at="2025-10-19T23:50:00+09:00", milestone=True)
    draft.add_event("머지", at="2025-10-20T00:20:00+09:00", milestone=True)
    text = render(draft, "rca", RenderContext())
    assert "- 10-19 23:50: 발견\n- 10-20 00:20: 머지\n" in text
