"""Issue 13, item 1: the reviewed plan is the applied plan, provably.

Real temp folders and the fake terraform (tests/fakes/terraform): its saved plan is a zip
with the state snapshot it was made against (as terraform's planfile writer makes it), its
local state is ``terraform.tfstate``, ``state pull`` prints it and apply bumps its serial.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import uuid
from pathlib import Path

import pytest

from hotfix_tui.config import Config, KubectlConfig, TerraformConfig
from hotfix_tui.model import Draft
from hotfix_tui.render import RenderContext, render
from hotfix_tui.render.artifacts import commit_plan_trailer, pr_plan_trailer
from hotfix_tui.services.checks import CheckService
from hotfix_tui.services.runner import ERROR, PASSED
from hotfix_tui.services.terraform import PlanSeal, plan_file_name, terraform_fingerprint
from hotfix_tui.store import DraftStore
from hotfix_tui.workflow.plan_review import record_reviewed_plan, reviewed_seal
from tests.fakes import TERRAFORM, calls, executable

from . import seed

ITEM = ("The reviewed plan is the applied plan, provably. When a plan is reviewed, its SHA-256 (of the "
        "saved plan file) and the state serial/lineage it was made against are facts in the draft; the PR "
        "body carries them in a trailer the seed's template does not show when absent; the commit gets a "
        "`Hotfix-Plan:` trailer when one exists at commit time; apply refuses (with the reason) when the "
        "plan file's hash or the state serial changed since review.")

LINEAGE = "2f0c6b8e-6b1d-4c3e-9a57-0c1d2e3f4a5b"
PLAN = plan_file_name("metallb")


def service_for(root: Path, binary: str | None = None) -> CheckService:
    return CheckService(Config(terraform=TerraformConfig(binary=binary or executable(TERRAFORM), dir=str(root)),
                               kubectl=KubectlConfig(namespace="metallb-system")))


def write_state(root: Path, serial: int, lineage: str = LINEAGE) -> None:
    """The local backend's state, as another engineer's apply (or a refresh) leaves it."""
    state = {"version": 4, "terraform_version": "1.9.5", "serial": serial, "lineage": lineage,
             "outputs": {}, "resources": []}
    (root / "terraform.tfstate").write_text(json.dumps(state, indent=2))


def reviewed(root: Path, service: CheckService) -> Draft:
    """A draft whose §4.1 plan was run and reviewed, as the Fix screen records it."""
    draft = Draft(id="metallb")
    outcome = service.plan(PLAN)
    assert outcome.passed, outcome.summary
    record_reviewed_plan(draft, outcome, "2025-10-19T14:40:00+09:00")
    return draft


def apply(service: CheckService, draft: Draft):
    deploy = draft.deploy
    return service.apply(deploy.plan_file, reviewed_fingerprint=deploy.plan_fingerprint,
                         reviewed_plan=reviewed_seal(draft))


def applies(tf_log: Path) -> list[list[str]]:
    return [c["argv"] for c in calls(tf_log) if c["argv"][0] == "apply"]


# -- the facts at review -----------------------------------------------------------------


def test_the_review_stores_the_plan_files_hash_and_the_state_it_was_made_against(tf_root, tmp_path):
    """"When a plan is reviewed, its SHA-256 (of the saved plan file) and the state serial/lineage it
    was made against are facts in the draft" — read from the file terraform wrote, and kept on save."""
    write_state(tf_root, 7)
    draft = reviewed(tf_root, service_for(tf_root))
    data = (tf_root / PLAN).read_bytes()
    assert draft.deploy.plan_sha256 == hashlib.sha256(data).hexdigest()
    assert (draft.deploy.plan_state_serial, draft.deploy.plan_state_lineage) == ("7", LINEAGE)
    assert draft.deploy.plan_fingerprint == terraform_fingerprint(tf_root)
    store = DraftStore(tmp_path / "drafts")
    again = store.load(store.create(draft).path).draft
    assert (again.deploy.plan_sha256, again.deploy.plan_state_serial, again.deploy.plan_state_lineage) == (
        draft.deploy.plan_sha256, "7", LINEAGE)


def test_a_plan_made_against_no_state_records_that_as_a_fact(tf_root):
    """"… the state serial/lineage it was made against are facts in the draft": no state at all is
    empty serial and lineage beside the hash (and a state appearing later is a change)."""
    draft = reviewed(tf_root, service_for(tf_root))
    assert draft.deploy.plan_sha256
    assert (draft.deploy.plan_state_serial, draft.deploy.plan_state_lineage) == ("", "")
    assert "sha256=" in pr_plan_trailer(draft) and "serial= lineage=" in pr_plan_trailer(draft)


def test_a_plan_file_that_is_not_a_saved_plan_is_not_sealed_and_cannot_be_applied(tf_root, tf_log,
                                                                                    monkeypatch):
    """"apply refuses (with the reason)": a plan whose state cannot be read from the file records no
    hash (the log says it is not sealed), and apply says so instead of running."""
    monkeypatch.setenv("FAKE_TERRAFORM", "plan-opaque")
    service = service_for(tf_root)
    seen = []
    outcome = service.plan(PLAN, review=False, on_lines=seen.extend)
    assert outcome.passed and outcome.seal is None
    assert any(text.startswith("plan not sealed (apply will be refused): ") for _, text in seen)
    draft = Draft(id="metallb")
    record_reviewed_plan(draft, outcome, "2025-10-19T14:41:00+09:00")
    assert draft.deploy.plan_file == PLAN and draft.deploy.plan_sha256 == ""
    assert pr_plan_trailer(draft) == "" and commit_plan_trailer(draft) == ""
    refused = apply(service, draft)
    assert refused.status == ERROR and "no recorded sha256" in refused.summary
    assert applies(tf_log) == []


# -- apply checks the world ----------------------------------------------------------------


def test_a_plan_file_changed_since_review_is_refused(tf_root, tf_log):
    """"apply refuses (with the reason) when the plan file's hash … changed since review": the file on
    disk is hashed at that moment; the draft's text plays no part."""
    write_state(tf_root, 7)
    service = service_for(tf_root)
    draft = reviewed(tf_root, service)
    reviewed_sha = draft.deploy.plan_sha256
    path = tf_root / PLAN
    path.write_bytes(path.read_bytes() + b"\0")  # another plan written over it, say
    refused = apply(service, draft)
    assert refused.status == ERROR
    now = hashlib.sha256(path.read_bytes()).hexdigest()
    assert refused.summary == (f"the saved plan file (sha256 {reviewed_sha[:12]} reviewed, {now[:12]} now) "
                               "changed since the reviewed plan: plan and review again before applying")
    assert applies(tf_log) == []


def test_a_state_serial_changed_since_review_is_refused(tf_root, tf_log):
    """"apply refuses (with the reason) when … the state serial changed since review": someone applied
    meanwhile; `terraform state pull` says so at that moment."""
    write_state(tf_root, 7)
    service = service_for(tf_root)
    draft = reviewed(tf_root, service)
    write_state(tf_root, 8)
    refused = apply(service, draft)
    assert refused.status == ERROR
    assert refused.summary == ("the state serial (7 reviewed, 8 now) changed since the reviewed plan: "
                               "plan and review again before applying")
    assert ["state", "pull"] in [c["argv"] for c in calls(tf_log)]
    assert applies(tf_log) == []


def test_a_state_lineage_changed_since_review_is_refused(tf_root, tf_log):
    """"apply refuses (with the reason) when … the state … changed since review": another state (a new
    lineage, the same serial) is not the one the plan was made against."""
    write_state(tf_root, 7)
    service = service_for(tf_root)
    draft = reviewed(tf_root, service)
    other = str(uuid.UUID(int=1))
    write_state(tf_root, 7, other)
    refused = apply(service, draft)
    assert refused.summary == (f"the state lineage ({LINEAGE} reviewed, {other} now) changed since the "
                               "reviewed plan: plan and review again before applying")
    assert applies(tf_log) == []


def test_a_state_that_appeared_since_a_plan_against_no_state_is_refused(tf_root, tf_log):
    """"apply refuses … when … the state serial changed since review": a plan made against no state
    meets a state."""
    service = service_for(tf_root)
    draft = reviewed(tf_root, service)
    write_state(tf_root, 1)
    refused = apply(service, draft)
    assert refused.summary.startswith(f"the state lineage (no state reviewed, {LINEAGE} now) changed")
    assert applies(tf_log) == []


def test_everything_that_changed_is_named_in_one_message(tf_root, tf_log):
    """"apply refuses (with the reason)": files, plan file and state changed together make one refusal
    naming all three."""
    write_state(tf_root, 7)
    service = service_for(tf_root)
    draft = reviewed(tf_root, service)
    (tf_root / "main.tf").write_text((tf_root / "main.tf").read_text() + "# edited after review\n")
    (tf_root / PLAN).write_bytes((tf_root / PLAN).read_bytes() + b"\0")
    write_state(tf_root, 9)
    summary = apply(service, draft).summary
    assert summary.startswith("the terraform files, the saved plan file (sha256 ")
    assert summary.endswith(" and the state serial (7 reviewed, 9 now) changed since the reviewed plan: "
                            "plan and review again before applying")
    assert applies(tf_log) == []


def test_the_reviewed_plan_against_the_same_state_applies(tf_root, tf_log):
    """"apply refuses … when the plan file's hash or the state serial changed since review" — and only
    then: the same file against the same state applies (and terraform's own apply moves the serial,
    so the same plan is refused afterwards)."""
    write_state(tf_root, 7)
    service = service_for(tf_root)
    draft = reviewed(tf_root, service)
    applied = apply(service, draft)
    assert applied.status == PASSED, applied.summary
    assert applied.summary == "Apply complete! Resources: 1 added, 2 changed, 1 destroyed."
    assert applies(tf_log) == [["apply", "-input=false", "-no-color", PLAN]]
    assert json.loads((tf_root / "terraform.tfstate").read_text())["serial"] == 8
    again = apply(service, draft)
    assert again.status == ERROR and "the state serial (7 reviewed, 8 now)" in again.summary
    assert len(applies(tf_log)) == 1


def test_a_state_that_cannot_be_read_refuses(tf_root, tf_log):
    """"apply refuses (with the reason)": when the state cannot be read, nothing is applied."""
    write_state(tf_root, 7)
    service = service_for(tf_root)
    draft = reviewed(tf_root, service)
    (tf_root / "terraform.tfstate").write_text('{"version": 4, "serial": 7, "lineage": "$(rm -rf ~)"}')
    refused = apply(service, draft)
    assert refused.status == ERROR
    assert refused.summary.startswith("cannot check the plan against the reviewed one: state lineage")
    assert applies(tf_log) == []


def test_the_seal_extends_the_one_check_apply_makes():
    """The seal extends the one check apply has (the files' fingerprint); it is not a second one."""
    import inspect

    from hotfix_tui.services import terraform

    source = inspect.getsource(terraform)
    assert source.count("terraform_fingerprint(folder) != reviewed_fingerprint") == 1
    assert source.count("changed since the reviewed plan") == 1


# -- trailers ------------------------------------------------------------------------------


@pytest.fixture
def metallb(example_path):
    return DraftStore(example_path.parent).load(example_path).draft


def seal(draft: Draft, sha: str = "ab" * 32, serial: str = "7", lineage: str = LINEAGE) -> Draft:
    draft.deploy.plan_sha256, draft.deploy.plan_state_serial, draft.deploy.plan_state_lineage = sha, serial, lineage
    return draft


def test_the_pr_body_carries_the_trailer_only_when_the_plan_was_reviewed(metallb):
    """"the PR body carries them in a trailer the seed's template does not show when absent
    (`<!-- hotfix-plan: sha256=… serial=… -->`)"."""
    ctx = RenderContext()
    assert render(metallb, "pr-body", ctx) == seed.pr_body_example()  # absent: the seed, byte for byte
    sealed = seal(metallb)
    trailer = f"<!-- hotfix-plan: sha256={'ab' * 32} serial=7 lineage={LINEAGE} -->"
    assert pr_plan_trailer(sealed) == trailer
    assert render(sealed, "pr-body", ctx) == seed.pr_body_example() + "\n" + trailer + "\n"
    assert render(seal(metallb, serial="", lineage=""), "pr-body", ctx).endswith(
        f"<!-- hotfix-plan: sha256={'ab' * 32} serial= lineage= -->\n")


def test_the_commit_gets_a_git_trailer_only_when_the_plan_was_reviewed(metallb, tmp_path):
    """"the commit gets a `Hotfix-Plan:` trailer when one exists at commit time" — one git reads as a
    trailer (beside JIRA:); without a reviewed plan the message is the seed's, byte for byte."""
    ctx = RenderContext()
    assert render(metallb, "commit", ctx) == seed.commit_example()
    message = render(seal(metallb), "commit", ctx)
    trailer = f"Hotfix-Plan: sha256={'ab' * 32} serial=7 lineage={LINEAGE}"
    assert commit_plan_trailer(metallb) == trailer
    assert message == seed.commit_example() + trailer + "\n"
    parsed = subprocess.run(["git", "interpret-trailers", "--parse"], input=message, capture_output=True,
                            text=True, check=True, cwd=tmp_path).stdout
    assert parsed.splitlines()[-1] == trailer
    assert parsed.splitlines()[0].startswith("JIRA: ")


def test_the_trailers_are_built_once():
    """One function builds each trailer: render calls them; nothing else spells them out."""
    root = Path(__file__).resolve().parent.parent / "hotfix_tui"
    spelled = {p.relative_to(root).as_posix() for p in root.rglob("*.py")
               if "hotfix-plan:" in p.read_text() or "Hotfix-Plan:" in p.read_text()}
    assert spelled == {"render/artifacts.py"}


def test_a_seal_is_what_the_draft_records():
    """The seal apply checks comes from the draft's fields (facts), not from any rendered text."""
    draft = seal(Draft(id="x"), sha="cd" * 32, serial="3", lineage=LINEAGE)
    assert reviewed_seal(draft) == PlanSeal("cd" * 32, "3", LINEAGE)


# -- the wizard ----------------------------------------------------------------------------


async def test_the_wizard_seals_the_reviewed_plan_and_refuses_a_stale_one(drafts_dir, tf_root, tf_log):
    """"When a plan is reviewed, its SHA-256 … and the state serial/lineage it was made against are facts
    in the draft; … apply refuses (with the reason) when the plan file's hash or the state serial changed
    since review" — on the Fix screen and the Merge screen's apply, at 80x24."""
    from hotfix_tui.screens.modals import PromptScreen
    from hotfix_tui.widgets.command_log import CommandLog
    from tests.ui.helpers import on_top, type_text, workers_done
    from tests.ui.test_checks_ui import _planned, app_for, config_for, draft_at, press_button

    write_state(tf_root, 7)
    app = app_for(drafts_dir, config_for(tf_root), draft_at(drafts_dir, "fix"))
    async with app.run_test(size=(80, 24)) as pilot:
        draft = app.loaded.draft
        app.screen.start_jobs(app.screen.jobs(["plan"]))
        await workers_done(pilot)
        sha = hashlib.sha256((tf_root / PLAN).read_bytes()).hexdigest()
        assert (draft.deploy.plan_sha256, draft.deploy.plan_state_serial, draft.deploy.plan_state_lineage) == (
            sha, "7", LINEAGE)
        review = str(app.screen.query_one("#plan-review").render())
        assert f"계획 봉인: sha256 {sha[:12]}… · state serial 7 · lineage {LINEAGE}" in review
        await _planned(pilot, app)  # planned again: a new file, the same state
        sha = hashlib.sha256((tf_root / PLAN).read_bytes()).hexdigest()
        assert draft.deploy.plan_sha256 == sha
        write_state(tf_root, 8)  # someone applied meanwhile
        await press_button(pilot, "apply")
        await on_top(pilot, PromptScreen)
        assert f"sha256 {sha[:12]}… · state serial 7, lineage {LINEAGE}" in app.screen.prompt
        await type_text(pilot, "TERRAFORM-15\n")
        await workers_done(pilot)
        assert applies(tf_log) == []
        assert not draft.deploy.applied_at
        log = "\n".join(app.screen.query_one("#log", CommandLog).lines)
        assert "the state serial (7 reviewed, 8 now) changed since the reviewed plan" in log
        assert any(line.endswith("terraform state pull") for line in log.splitlines())  # what ran is shown
        assert draft.checks.runs[-1].name == "apply" and draft.checks.runs[-1].status == "failed"
        assert "the state serial (7 reviewed, 8 now)" in draft.checks.runs[-1].summary
