"""The draft: one structured record of a hotfix, typed once and rendered everywhere.

Plain dataclasses with no Textual and no I/O, so the CLI, the store, the renderers and
the wizard all share one shape. Conversion to and from plain dicts (``to_dict`` /
``from_dict``) is the only serialisation contract; ``store`` turns those dicts into TOML.

Empty strings and empty lists mean "not filled in yet". Three summaries differ in the
seed's examples (Jira §2.3, commit §4.3, PR §6.3); each stored one may be empty, which
means "follow the previous one" (see ``effective_*`` below).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import typing
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1

SEVERITIES = ("Critical", "High", "Medium", "Low")
HOTFIX_PRIORITIES = ("Critical", "High")
# §1.1 / §1.2: what kind of change the fix is. Only a bug fix can be a hotfix.
CHANGE_KINDS = ("bug", "security", "feature", "performance", "refactor", "docs")

PHASES = (
    "triage",
    "backlog",
    "branch",
    "fix",
    "commit",
    "verify",
    "pr",
    "merge",
    "post",
)


# Field size limits (docs/draft-format.md "Limits"), in characters. A single-line field
# (a title, a key, a time) is far below the first; the longest multi-line texts of real
# incidents (a pasted stack trace in the problem) are far below the second. The wizard
# refuses input beyond them, and does not load a draft's over-limit value into an editor.
FIELD_LIMIT_LINE = 1_000
FIELD_LIMIT_TEXT = 50_000
# Multi-line fields (text and one-item-per-line lists); every other text field is single-line.
TEXT_FIELDS = frozenset({
    "backlog.problem", "backlog.impact", "backlog.repro_steps", "backlog.root_cause", "backlog.fix_plan",
    "backlog.rollback_plan", "checks.notes", "commit.tests", "verify.notes", "pr.problem", "pr.root_cause",
    "pr.changes", "pr.impact", "pr.rollback", "deploy.notes", "rca.root_cause",
    "rca.prevention", "rca.process_improvement", "report.details", "report.resolution", "report.lessons",
    "report.prevention",
})


def field_limit(path: str) -> int:
    """The size limit of the field at ``path`` ("backlog.problem"), in characters."""
    return FIELD_LIMIT_TEXT if path in TEXT_FIELDS else FIELD_LIMIT_LINE


def field_size(value: Any) -> int:
    """A field's size as the limit counts it: a list is its items one per line."""
    if isinstance(value, list):  # records (check runs, test items) are not fields
        items = [v for v in value if isinstance(v, str)]
        return sum(len(v) for v in items) + max(len(items) - 1, 0)
    return len(value) if isinstance(value, str) else 0


# Rows the wizard edits one text box per cell (timeline, follow-ups, test items): each
# cell is a single-line field. Check runs are records of output, bounded where stored.
ROW_LISTS = ("timeline", "followups", "pr.tests", "verify.items")


def oversize_fields(draft: "Draft") -> list[tuple[str, int, int]]:
    """(path, size, limit) for every text field of ``draft`` over its limit."""
    found = []
    for section in dataclasses.fields(draft):
        value = getattr(draft, section.name)
        if not dataclasses.is_dataclass(value):
            continue
        for f in dataclasses.fields(value):
            path = f"{section.name}.{f.name}"
            size = field_size(getattr(value, f.name))
            if size > field_limit(path):
                found.append((path, size, field_limit(path)))
    for where in ROW_LISTS:
        rows: Any = draft
        for part in where.split("."):
            rows = getattr(rows, part)
        for index, row in enumerate(rows):
            for f in dataclasses.fields(row):
                size = field_size(getattr(row, f.name))
                if size > FIELD_LIMIT_LINE:
                    found.append((f"{where}[{index}].{f.name}", size, FIELD_LIMIT_LINE))
    return found


# The one clock ([ui] timezone): every time the app records, shows, parses or renders is
# in this zone. None means the machine's local zone. Set once at start (cli, app) from
# the config; tests that change it restore it.
_ZONE: _dt.tzinfo | None = None


def set_timezone(zone: _dt.tzinfo | None) -> None:
    """Use ``zone`` (from ``[ui] timezone``) for every time from now on; None: the machine's."""
    global _ZONE
    _ZONE = zone


def timezone() -> _dt.tzinfo:
    """The configured zone, else the machine's local zone (as it is now)."""
    if _ZONE is not None:
        return _ZONE
    local = _dt.datetime.now().astimezone().tzinfo
    assert local is not None
    return local


def now() -> _dt.datetime:
    """Now, aware, in the configured zone."""
    return _dt.datetime.now(_ZONE) if _ZONE is not None else _dt.datetime.now().astimezone()


def in_zone(when: _dt.datetime) -> _dt.datetime:
    """``when`` shown in the configured zone (a naive value is taken as already in it)."""
    if when.tzinfo is None:
        return when.replace(tzinfo=timezone())
    return when.astimezone(_ZONE) if _ZONE is not None else when.astimezone()


def os_user() -> str:
    """Who is at the keyboard, for an override's record ("" when the OS cannot say)."""
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (a container without passwd entry)
        return ""


def now_iso() -> str:
    """Now in the configured zone with its offset, to the second: what records store."""
    return now().replace(microsecond=0).isoformat()


@dataclass
class Triage:
    """§1: is this a hotfix at all?"""

    severity: str = ""  # one of SEVERITIES
    change_kind: str = ""  # one of CHANGE_KINDS
    urgent: bool = False  # §1.1 긴급성: needs fixing right now
    verdict: str = ""  # "hotfix" | "bugfix" | "" (undecided)
    reason: str = ""  # why, in the user's words or the app's


@dataclass
class Backlog:
    """§2: the Jira Bug."""

    summary: str = ""  # 문제 요약 → "[HOTFIX] {summary}"
    priority: str = ""  # Critical | High for a hotfix (§2.1)
    labels: list[str] = field(default_factory=lambda: ["hotfix"])
    components: list[str] = field(default_factory=list)
    problem: str = ""  # 문제 상황
    since: str = ""  # 발생 시점
    impact: str = ""  # 영향 범위
    repro_steps: list[str] = field(default_factory=list)  # 재현 방법
    expected: str = ""  # 예상 결과
    actual: str = ""  # 실제 결과
    root_cause: str = ""  # 근본 원인 (분석 후 업데이트)
    fix_plan: list[str] = field(default_factory=list)  # 수정 계획
    rollback_plan: str = ""  # 롤백 계획
    jira_key: str = ""
    jira_url: str = ""
    # Facts of the ticket's status, set only by the step that moved it (or a manual record
    # of that move): the status last moved to or seen by this tool, and when each move
    # happened, by alias ("in_progress", "testing", "done"; a literal status otherwise).
    jira_status: str = ""
    jira_moved_at: dict[str, str] = field(default_factory=dict)
    # The root cause as the ticket has it (sent at create or by `hotfix jira update`);
    # a different root_cause means the ticket still says "under analysis" or is stale.
    root_cause_sent: str = field(default="", metadata={"omit_empty": True})
    # When the ticket first carried a root cause (created with one, or the §2.2 update):
    # the team's "cause found" moment, set by those steps only.
    cause_sent_at: str = field(default="", metadata={"omit_empty": True})


@dataclass
class Branch:
    """§3: the hotfix branch."""

    slug: str = ""  # the {간단한-설명} part; derived from the summary when ASCII allows
    name: str = ""  # the branch actually created, once it exists
    base: str = ""  # the main commit it was created from
    created_at: str = ""


@dataclass
class Commit:
    """§4.2: the commit message and what became of it."""

    summary: str = ""  # "" → follows the Jira summary
    problem: str = ""  # 문제
    fix: str = ""  # 수정
    impact: str = ""  # 영향
    tests: list[str] = field(default_factory=list)  # 테스트
    sha: str = ""
    pushed_at: str = ""


@dataclass
class PrTestItem:
    """One "- [x] ..." line of the PR's 테스트 결과 (§6.2)."""

    text: str = ""
    checked: bool = False
    note: str = ""  # rendered as " (note)" after the text


def default_pr_tests() -> list[PrTestItem]:
    """The five test-result items of the §6.2 template, unticked."""
    return [
        PrTestItem("문제 재현 및 수정 확인"),
        PrTestItem("terraform validate 통과"),
        PrTestItem("terraform plan 검토"),
        PrTestItem("로컬 환경 테스트 완료"),
        PrTestItem("영향도 분석 완료"),
    ]


@dataclass
class CheckRun:
    """One run of a local check (§4.1 terraform, §5.2 kubectl), or a manual tick of one."""

    name: str = ""  # fmt | init | validate | plan | kubectl-get | kubectl-logs | ...
    command: str = ""  # the exact command line shown to the user (tokens masked)
    status: str = ""  # passed | failed | cancelled | manual
    started_at: str = ""
    duration_ms: int = 0
    exit_code: int = 0
    summary: str = ""  # e.g. "Plan: 0 to add, 1 to change, 0 to destroy."
    output_tail: str = ""  # the last lines, for the record (at most MAX_OUTPUT_TAIL_BYTES)
    fingerprint: str = ""  # the terraform files' fingerprint the run saw ("" = unknown)


# How much of the commands' output a draft keeps (docs/draft-format.md, "Output limits"):
# a run's stored output is bounded in bytes, and only the newest runs of each check are
# kept, so a chatty or runaway command cannot grow the draft without limit.
MAX_RUNS_PER_CHECK = 5
MAX_OUTPUT_TAIL_BYTES = 16 * 1024
OUTPUT_CUT_NOTE = "[… earlier output not kept]"


def bound_output(text: str, limit: int = MAX_OUTPUT_TAIL_BYTES) -> str:
    """The end of ``text`` in at most ``limit`` UTF-8 bytes, starting at a line when it can."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    note = OUTPUT_CUT_NOTE + "\n"
    room = max(0, limit - len(note.encode("utf-8")))
    tail = data[len(data) - room:].decode("utf-8", errors="ignore")  # drops a cut character
    newline = tail.find("\n")
    if 0 <= newline < len(tail) // 2:
        tail = tail[newline + 1:]
    return note + tail


def add_run(runs: list[CheckRun], run: CheckRun, keep: int = MAX_RUNS_PER_CHECK) -> CheckRun:
    """Append ``run`` (output bounded) and drop the oldest runs of the same check beyond ``keep``."""
    run.output_tail = bound_output(run.output_tail)
    runs.append(run)
    same = [i for i, r in enumerate(runs) if r.name == run.name]
    for i in reversed(same[:-keep] if keep > 0 else same):
        del runs[i]
    return run


@dataclass
class Checks:
    """§4.1 local checks: what ran and what came of it."""

    runs: list[CheckRun] = field(default_factory=list)
    notes: str = ""  # what was analysed / changed, in the engineer's words

    def add_run(self, run: CheckRun) -> CheckRun:
        """Record a run; see :func:`add_run` for what is kept."""
        return add_run(self.runs, run)


def default_verify_items() -> list[PrTestItem]:
    """The §5.1 required test items, unticked."""
    return [
        PrTestItem("문제가 완전히 해결되었는가?"),
        PrTestItem("다른 기능에 영향을 주지 않는가?"),
        PrTestItem("terraform validate 통과"),
        PrTestItem("terraform plan 검토 (변경 최소화)"),
        PrTestItem("실제 환경에서 동작 확인"),
    ]


@dataclass
class Verify:
    """§5: the required test items and what was seen."""

    items: list[PrTestItem] = field(default_factory=default_verify_items)
    runs: list[CheckRun] = field(default_factory=list)  # kubectl get/logs/describe
    notes: str = ""

    def add_run(self, run: CheckRun) -> CheckRun:
        """Record a run; see :func:`add_run` for what is kept."""
        return add_run(self.runs, run)


@dataclass
class PullRequest:
    """§6: the pull request."""

    summary: str = ""  # "" → follows the commit summary
    problem: str = ""  # "" → follows the Jira 문제 상황
    root_cause: str = ""  # "" → follows the Jira 근본 원인
    changes: list[str] = field(default_factory=list)  # 수정 내용
    tests: list[PrTestItem] = field(default_factory=default_pr_tests)
    impact: str = ""  # "" → follows the Jira 영향 범위
    rollback: str = ""  # "" → follows the Jira 롤백 계획
    number: int = 0
    url: str = ""
    opened_at: str = ""  # when the PR was opened (or found open), ISO with offset


@dataclass
class Merge:
    """§7.1–7.2: review, merge and branch clean-up."""

    reviewers: list[str] = field(default_factory=list)
    review_requested_at: str = ""
    merged_at: str = ""
    merged_per: str = ""  # whose word merged_at is: "github" (its answer) | "hand" (a manual record)
    merge_sha: str = ""
    self_merge: bool = False  # §7.1 "필요시 Self-merge 가능 (사후 리뷰)"
    branch_deleted_at: str = ""
    main_updated_at: str = ""
    jira_done_at: str = ""


@dataclass
class PodSample:
    """One §7.3 pod sample of the monitoring window, as the chart and the verdict read it."""

    at: str = ""  # ISO 8601 with offset, when kubectl answered
    total: int = 0
    not_ready: list[str] = field(default_factory=list)  # the pods not ready, by name
    restarts: int = 0  # all containers' restarts so far (the chart shows the growth)

    def summary(self) -> str:
        return f"{self.total} pods, {len(self.not_ready)} not ready, {self.restarts} restarts"


# How many pod samples a draft keeps: the newest, one window's worth at the default
# interval and more (a 240-minute window sampled each minute), so the draft stays small.
MAX_POD_SAMPLES = 240


@dataclass
class Deploy:
    """§7.3: apply and monitoring."""

    plan_file: str = ""  # the reviewed saved plan that apply may use (§7.3)
    plan_fingerprint: str = ""  # terraform files' fingerprint when that plan was made
    plan_reviewed_at: str = ""
    # The reviewed plan, sealed: its saved file's SHA-256 and the state serial/lineage it was
    # made against (both "" with a hash: made against no state). Apply checks them against the
    # file and the state at that moment; "" hash = no sealed review on record.
    plan_sha256: str = field(default="", metadata={"omit_empty": True})
    plan_state_serial: str = field(default="", metadata={"omit_empty": True})
    plan_state_lineage: str = field(default="", metadata={"omit_empty": True})
    applied_at: str = ""
    apply_summary: str = ""
    monitor_started_at: str = ""
    monitor_minutes: int = 30  # §7.3 "최소 30분 ~ 1시간"
    monitor_ended_at: str = ""
    outcome: str = ""  # "" | "stable" | "regressed"
    notes: str = ""
    # The running (or last) window's pod samples, oldest first, at most MAX_POD_SAMPLES,
    # so the chart and the verdict survive a restart. Drafts without them load with [].
    samples: list[PodSample] = field(default_factory=list)

    def add_sample(self, sample: PodSample, keep: int = MAX_POD_SAMPLES) -> PodSample:
        """Append ``sample`` and drop the oldest beyond ``keep``."""
        self.samples.append(sample)
        if keep > 0 and len(self.samples) > keep:
            del self.samples[: len(self.samples) - keep]
        return sample


@dataclass
class Rca:
    """§8.1: root cause analysis. Its timeline is the draft's timeline."""

    root_cause: str = ""  # "" → follows the Jira 근본 원인
    prevention: list[str] = field(default_factory=list)  # 재발 방지 대책
    process_improvement: str = ""  # 프로세스 개선
    # When the RCA was posted on the hotfix ticket (`hotfix jira comment DRAFT rca`) and the
    # SHA-256 of the wiki text posted then; absent from the file until it happens.
    commented_at: str = field(default="", metadata={"omit_empty": True})
    commented_sha256: str = field(default="", metadata={"omit_empty": True})


@dataclass
class FollowUp:
    """§8.2: a separate ticket to prevent a recurrence."""

    summary: str = ""
    description: str = ""
    kind: str = ""  # e.g. 테스트 자동화, 모니터링 강화, 문서화
    key: str = ""
    url: str = ""


@dataclass
class Report:
    """§8.3: the hotfix report."""

    summary: str = ""  # 요약
    details: str = ""  # 문제 상세; "" → follows the Jira 문제 상황
    resolution: str = ""  # 해결 방법; "" → follows the commit's 수정
    downtime: str = ""  # 다운타임
    affected_services: str = ""  # 영향받은 서비스
    user_impact: str = ""  # 사용자 영향
    lessons: list[str] = field(default_factory=list)  # 배운 점
    prevention: list[str] = field(default_factory=list)  # 재발 방지; [] → RCA's


@dataclass
class CheckState:
    """One ticked §10 checklist item: when, by whom, and why."""

    checked: bool = False
    at: str = ""
    by: str = ""  # "user" | "auto"
    reason: str = ""


@dataclass
class Event:
    """One timestamped line of the timeline that feeds the RCA (§8.1)."""

    at: str = ""  # ISO 8601 with offset
    text: str = ""
    source: str = "user"  # "user" | "auto" | "override"
    # Shown in the RCA timeline (§8.1). The discovery event is one from the start; the
    # user marks any other row. Everything else is the detail log, shown in the wizard.
    # Drafts written before this field load with False.
    milestone: bool = False


@dataclass
class Override:
    """A gate passed although it did not hold: which, when, by whom and why (§-rules stay honest)."""

    phase: str = ""
    gate: str = ""  # what did not hold: gate codes ("g.check_failed,g.not_monitored"), or "fact.validate" …
    what: str = ""  # the same in words, as the user saw it
    at: str = ""
    by: str = ""  # the OS user
    reason: str = ""


@dataclass
class Queued:
    """A remote step that could not reach its server, waiting in the draft's outbox (`hotfix sync`).

    Only its name is kept: when it is sent, it is prepared from the draft as it is then,
    through the step's own duplicate checks (a ticket or PR an earlier attempt made is
    reused). ``expect`` is what the world looked like when it was queued, checked before
    sending (a move: the ticket's status then; another one now is a conflict, shown and
    not overwritten).
    """

    step: str = ""  # a workflow.steps.STEPS name
    queued_at: str = ""
    reason: str = ""  # why it was queued (the unreachable server, one line)
    expect: str = ""
    state: str = "pending"  # pending | sent | conflict | failed
    result: str = ""  # what came back, or why it did not go
    done_at: str = ""


@dataclass
class Draft:
    """Everything one hotfix collects, from triage to report."""

    id: str = ""
    created_at: str = ""
    phase: str = "triage"  # where the wizard is
    done_phases: list[str] = field(default_factory=list)
    overridden_phases: list[str] = field(default_factory=list)  # passed despite errors (see overrides)
    overrides: list[Override] = field(default_factory=list)  # each gate passed despite it, with a reason
    triage: Triage = field(default_factory=Triage)
    backlog: Backlog = field(default_factory=Backlog)
    branch: Branch = field(default_factory=Branch)
    checks: Checks = field(default_factory=Checks)
    commit: Commit = field(default_factory=Commit)
    verify: Verify = field(default_factory=Verify)
    pr: PullRequest = field(default_factory=PullRequest)
    merge: Merge = field(default_factory=Merge)
    deploy: Deploy = field(default_factory=Deploy)
    rca: Rca = field(default_factory=Rca)
    followups: list[FollowUp] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    checklist: dict[str, CheckState] = field(default_factory=dict)
    timeline: list[Event] = field(default_factory=list)
    outbox: list[Queued] = field(default_factory=list)  # remote steps waiting for their server

    # -- defaults that follow the previous phase until the user edits them --------

    @property
    def is_hotfix(self) -> bool:
        """Regular bug-fix path only when triage said so; undecided stays a hotfix."""
        return self.triage.verdict != "bugfix"

    @property
    def commit_summary(self) -> str:
        return self.commit.summary or self.backlog.summary

    @property
    def pr_summary(self) -> str:
        return self.pr.summary or self.commit_summary

    @property
    def pr_problem(self) -> str:
        return self.pr.problem or self.backlog.problem

    @property
    def pr_root_cause(self) -> str:
        return self.pr.root_cause or self.backlog.root_cause

    @property
    def pr_impact(self) -> str:
        return self.pr.impact or self.backlog.impact

    @property
    def pr_rollback(self) -> str:
        return self.pr.rollback or self.backlog.rollback_plan

    @property
    def rca_root_cause(self) -> str:
        return self.rca.root_cause or self.backlog.root_cause

    @property
    def report_details(self) -> str:
        return self.report.details or self.backlog.problem

    @property
    def report_resolution(self) -> str:
        return self.report.resolution or self.commit.fix

    @property
    def report_prevention(self) -> list[str]:
        return self.report.prevention or self.rca.prevention

    def add_event(self, text: str, source: str = "user", at: str | None = None, *,
                  milestone: bool = False) -> Event:
        event = Event(at=at or now_iso(), text=text, source=source, milestone=milestone)
        self.timeline.append(event)
        return event

    def add_override(self, phase: str, gate: str, reason: str, what: str = "", by: str = "",
                     at: str | None = None) -> Override:
        """Record a gate passed despite it not holding; ``overridden_phases`` follows."""
        override = Override(phase=phase, gate=gate, what=what, at=at or now_iso(), by=by or os_user(),
                            reason=reason.strip())
        self.overrides.append(override)
        if phase and phase not in self.overridden_phases:
            self.overridden_phases.append(phase)
        return override

    def record_jira_move(self, alias: str, status: str, at: str | None = None, *, keep_first: bool = False) -> None:
        """The fact that the ticket is in ``status`` (``alias`` "in_progress"/"testing"/"done" or
        the status itself). ``keep_first``: a status the ticket was already in keeps its time."""
        self.backlog.jira_status = status
        if not (keep_first and self.backlog.jira_moved_at.get(alias)):
            self.backlog.jira_moved_at[alias] = at or now_iso()
        if alias == "done":
            self.merge.jira_done_at = self.backlog.jira_moved_at[alias]

    def jira_moved(self, alias: str) -> bool:
        """Whether this tool moved (or saw, or had recorded by hand) the ticket in that status."""
        if alias == "done" and self.merge.jira_done_at:  # drafts written before the fact existed
            return True
        return bool(self.backlog.jira_moved_at.get(alias))

    def title(self) -> str:
        """A one-line name for lists: the Jira summary, else the draft id."""
        return self.backlog.summary or self.id


# -- dict conversion ----------------------------------------------------------------


def to_dict(obj: Any) -> Any:
    """A dataclass tree as plain dicts/lists/scalars, in field order."""
    if dataclasses.is_dataclass(obj):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, list):
        return [to_dict(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    return obj


class DraftFormatError(ValueError):
    """A draft's content does not fit the model; the message names the key."""


def _convert(tp: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise DraftFormatError(f"{where}: expected a table, got {type(value).__name__}")
        return _from_dict(tp, value, where)
    if origin is list:
        (item_tp,) = typing.get_args(tp)
        if not isinstance(value, list):
            raise DraftFormatError(f"{where}: expected a list, got {type(value).__name__}")
        return [_convert(item_tp, v, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        _key_tp, val_tp = typing.get_args(tp)
        if not isinstance(value, dict):
            raise DraftFormatError(f"{where}: expected a table, got {type(value).__name__}")
        return {str(k): _convert(val_tp, v, f"{where}.{k}") for k, v in value.items()}
    if tp is bool:
        if not isinstance(value, bool):
            raise DraftFormatError(f"{where}: expected true or false, got {value!r}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise DraftFormatError(f"{where}: expected a whole number, got {value!r}")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise DraftFormatError(f"{where}: expected text, got {value!r}")
        return value
    raise TypeError(f"unsupported field type {tp!r} at {where}")  # a bug in the model


@functools.cache
def type_hints(cls: type) -> dict[str, Any]:
    """``typing.get_type_hints(cls)``, computed once per class (it costs more than parsing
    a draft's TOML, and the drafts list reads every draft)."""
    return typing.get_type_hints(cls)


def _from_dict(cls: type, data: dict, where: str) -> Any:
    hints = type_hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            path = f"{where}.{f.name}" if where else f.name
            kwargs[f.name] = _convert(hints[f.name], data[f.name], path)
    # Unknown keys are ignored here (the store keeps them in the file untouched), so a
    # draft written by a newer minor version still opens.
    return cls(**kwargs)


def from_dict(data: dict) -> Draft:
    """Build a Draft from plain data; raises DraftFormatError naming the bad key."""
    return _from_dict(Draft, data, "")


# -- facts ------------------------------------------------------------------------------
#
# Questions the gates, the §10 ticks and the renderers ask of the draft's facts. Pure
# functions of the draft (and, where given, the current tree's fingerprint and the time):
# nothing here reads a file or parses display text.

PASSED, FAILED, STALE, MISSING = "passed", "failed", "stale", "missing"
# The draft's run names that decide each check (fmt runs `fmt -check`, then maybe `fmt`).
CHECK_RUN_NAMES = {"fmt": ("fmt-check", "fmt"), "init": ("init",), "validate": ("validate",), "plan": ("plan",)}
# §6.2 / §5.1 test items a check decides, by how their text starts.
FACT_ITEMS = (("terraform validate", "validate"), ("terraform plan", "plan"))


def latest_run(draft: Draft, check: str) -> CheckRun | None:
    """The newest run of ``check`` (fmt, init, validate, plan, or any run name)."""
    names = CHECK_RUN_NAMES.get(check, (check,))
    return next((r for r in reversed(draft.checks.runs) if r.name in names), None)


def check_state(draft: Draft, check: str, tree: str = "") -> str:
    """PASSED when the latest run of ``check`` passed (or was recorded by hand) on ``tree``.

    FAILED when it failed or was cancelled, MISSING when it never ran, STALE when it
    passed on other terraform files than ``tree`` (a run without a fingerprint counts as
    other files once the tree is known). ``tree`` "" means "not known here": the tree is
    not compared (the wizard's rules line; the gates compare it when leaving a phase).
    """
    run = latest_run(draft, check)
    if run is None:
        return MISSING
    if run.status not in ("passed", "manual"):
        return FAILED
    if tree and run.fingerprint != tree:
        return STALE
    return PASSED


def fact_overridden(draft: Draft, gate: str) -> bool:
    """Whether the user passed ``gate`` with a recorded reason."""
    return any(o.gate == gate for o in draft.overrides)


def item_fact(text: str) -> str:
    """The check a §6.2/§5.1 item's text is decided by ("validate", "plan"), or ""."""
    stripped = text.strip()
    return next((check for prefix, check in FACT_ITEMS if stripped.startswith(prefix)), "")


def item_ticked(draft: Draft, item: PrTestItem) -> bool:
    """A test item's tick as the record shows it: a hand tick never claims a check whose
    latest run failed, unless the user overrode that with a reason."""
    if not item.checked:
        return False
    check = item_fact(item.text)
    if not check:
        return True
    return check_state(draft, check) != FAILED or fact_overridden(draft, f"fact.{check}")


def parse_time(text: str) -> _dt.datetime | None:
    """An ISO time with offset as stored, or None (empty, malformed, or without an offset)."""
    try:
        value = _dt.datetime.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        return None
    return value if value.tzinfo is not None else None


# The monitoring window's bounds in minutes (§7.3 asks 30 to 60; a team may watch longer):
# `[monitor] minutes`, the draft's window and the Merge screen's clock all stay within them.
MONITOR_MINUTES = (1, 240)


def required_monitor_minutes(draft: Draft, config_minutes: int = 0) -> int:
    """How long monitoring must last: ``[monitor] minutes``, or the draft's longer window
    (within the one bound config and the Merge screen's clock use)."""
    low, high = MONITOR_MINUTES
    return max(low, config_minutes, min(draft.deploy.monitor_minutes or 0, high))


def monitoring_done(draft: Draft, now: _dt.datetime | None = None, config_minutes: int = 0) -> bool:
    """Monitoring ran at least the required minutes: ended, and that much time has truly
    passed since it started (an end recorded early, or dated ahead, does not count)."""
    started = parse_time(draft.deploy.monitor_started_at)
    ended = parse_time(draft.deploy.monitor_ended_at)
    if started is None or ended is None:
        return False
    need = _dt.timedelta(minutes=required_monitor_minutes(draft, config_minutes))
    now = now or _dt.datetime.now().astimezone()
    return ended - started >= need and now - started >= need
