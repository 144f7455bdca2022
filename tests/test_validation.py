"""Validation rules: each finding names the field and says what to fix."""

from __future__ import annotations

import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotfix_tui.model import Draft
from hotfix_tui.render import RenderContext
from hotfix_tui.render.artifacts import derive_slug
from hotfix_tui.store import DraftStore
from hotfix_tui.workflow.validation import (
    ERROR,
    WARNING,
    ref_name_problem,
    triage_verdict,
    validate,
)

CTX = RenderContext()


def codes(draft, phases=None, level=None):
    return {(f.field, f.code) for f in validate(draft, CTX, phases) if level is None or f.level == level}


def test_metallb_example_has_no_errors(example_path):
    draft = DraftStore(example_path.parent).load(example_path).draft
    assert [f for f in validate(draft, CTX) if f.level == ERROR] == []


def test_priority_must_be_critical_or_high_for_a_hotfix():
    draft = Draft()
    assert ("backlog.priority", "v.priority_missing") in codes(draft, ["backlog"])
    draft.backlog.priority = "Medium"
    [finding] = [f for f in validate(draft, CTX, ["backlog"]) if f.field == "backlog.priority"]
    assert finding.level == ERROR and "Medium" in finding.message and "Critical" in finding.message
    draft.backlog.priority = "High"
    assert not any(field == "backlog.priority" for field, _ in codes(draft, ["backlog"]))


def test_hotfix_label_required():
    draft = Draft()
    draft.backlog.labels = ["metallb"]
    assert ("backlog.labels", "v.label_missing") in codes(draft, ["backlog"], ERROR)
    draft.backlog.labels = ["HotFix", "metallb"]
    assert ("backlog.labels", "v.label_missing") not in codes(draft, ["backlog"])


@pytest.mark.parametrize("key", ["TERRAFORM-0", "terraform-15", "INFRA-15", "TERRAFORM15", "TERRAFORM-15a", " "])
def test_issue_key_must_match_project(key):
    draft = Draft()
    draft.backlog.jira_key = key
    found = codes(draft, ["backlog"])
    assert ("backlog.jira_key", "v.key_format") in found or (key.strip() == "" and ("backlog.jira_key", "v.key_missing") in found)


def test_good_issue_key_passes():
    draft = Draft()
    draft.backlog.jira_key = "TERRAFORM-15"
    assert not any(field == "backlog.jira_key" for field, _ in codes(draft, ["backlog"]))


def test_rollback_plan_required_and_message_says_so():
    draft = Draft()
    [finding] = [f for f in validate(draft, CTX, ["backlog"]) if f.field == "backlog.rollback_plan"]
    assert finding.level == ERROR and "롤백 계획" in finding.message
    en = [f for f in validate(draft, RenderContext(language="en"), ["backlog"]) if f.field == "backlog.rollback_plan"]
    assert "rollback plan" in en[0].message


def test_slug_derivation():
    assert derive_slug("MetalLB LoadBalancer IP 할당 실패") == "metallb-loadbalancer-ip"
    assert derive_slug("[HOTFIX] Ingress SSL cert error!!") == "ingress-ssl-cert-error"
    assert derive_slug("인그레스 인증서 만료") == ""
    assert len(derive_slug("a " * 100)) <= 48


def test_all_korean_summary_asks_for_a_slug():
    draft = Draft()
    draft.backlog.summary = "인그레스 인증서 만료"
    draft.backlog.jira_key = "TERRAFORM-16"
    [finding] = validate(draft, CTX, ["branch"])
    assert finding.code == "v.slug_needed" and "metallb-ip-pool-fix" in finding.message
    draft.branch.slug = "ingress-ssl-cert-error"
    assert validate(draft, CTX, ["branch"]) == []


@pytest.mark.parametrize("slug", ["Ingress-SSL", "ingress_ssl", "-ingress", "ingress--ssl", "인증서", "a b", "x-"])
def test_bad_slugs_rejected(slug):
    draft = Draft()
    draft.branch.slug = slug
    assert ("branch.slug", "v.slug_format") in codes(draft, ["branch"])


def test_branch_name_must_follow_3_1():
    draft = Draft()
    draft.backlog.jira_key = "TERRAFORM-15"
    draft.branch.name = "fix/TERRAFORM-15-metallb"
    assert ("branch.name", "v.branch_format") in codes(draft, ["branch"])
    draft.branch.name = "hotfix/TERRAFORM-15-metallb-ip-pool-fix"
    assert validate(draft, CTX, ["branch"]) == []


@pytest.mark.parametrize(
    "name",
    ["-rf", "hotfix/a..b", "hotfix/a b", "hotfix/a~1", "hotfix/a^", "hotfix/a:b", "hotfix/a?", "hotfix/a*",
     "hotfix/a[", "hotfix/a\\b", "hotfix/", "/hotfix", "hotfix//a", "hotfix/.a", "hotfix/a.lock", "hotfix/a.",
     "hotfix/a@{1}", "hotfix/\x07"],
)
def test_ref_name_rules_agree_with_git(name):
    assert ref_name_problem(name)
    git = subprocess.run(["git", "check-ref-format", "--branch", name], capture_output=True)
    assert git.returncode != 0 or name.startswith("-")


@given(st.from_regex(r"[a-z0-9]+(-[a-z0-9]+){0,4}", fullmatch=True), st.integers(1, 9999))
def test_every_valid_slug_makes_a_git_valid_branch(slug, number):
    draft = Draft()
    draft.backlog.jira_key = f"TERRAFORM-{number}"
    draft.branch.slug = slug
    assert validate(draft, CTX, ["branch"]) == []


def test_at_alone_is_refused():
    # `git check-ref-format --branch @` accepts "@" as shorthand for HEAD; as a new
    # branch name it is still wrong.
    assert ref_name_problem("@")


def test_commit_subject_rule():
    draft = Draft()
    assert ("commit.summary", "v.commit_subject") in codes(draft, ["commit"])
    draft.backlog.summary = "MetalLB IP 풀 충돌"
    assert ("commit.summary", "v.commit_subject") not in codes(draft, ["commit"])
    draft.commit.summary = "MetalLB " + "아주 긴 설명 " * 12
    assert ("commit.summary", "v.commit_subject_long") in codes(draft, ["commit"], WARNING)


def test_triage_verdicts():
    draft = Draft()
    assert triage_verdict(draft.triage) == ("", [])
    draft.triage.severity, draft.triage.change_kind, draft.triage.urgent = "Critical", "bug", True
    verdict, reasons = triage_verdict(draft.triage)
    assert verdict == "hotfix" and reasons
    draft.triage.severity = "Medium"
    verdict, reasons = triage_verdict(draft.triage)
    assert verdict == "bugfix" and any("Medium" in r for r in reasons)
    draft.triage.severity, draft.triage.change_kind = "High", "refactor"
    verdict, reasons = triage_verdict(draft.triage, "en")
    assert verdict == "bugfix" and any("refactor" in r for r in reasons)
    draft.triage.change_kind, draft.triage.urgent = "security", False
    assert triage_verdict(draft.triage)[0] == "bugfix"


def test_rca_required_for_hotfix_only():
    draft = Draft()
    assert ("rca.prevention", "v.required") in codes(draft, ["post"], ERROR)
    draft.triage.verdict = "bugfix"
    assert ("rca.prevention", "v.required") not in codes(draft, ["post"], ERROR)
