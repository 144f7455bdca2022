"""The remote steps of §2–§8 (Jira, git, GitHub): one :class:`Step` each, shared by the `hotfix jira|git|pr` commands, the wizard's buttons, F8 and the palette.

A step is *prepared* from a draft and the config: every precondition that needs no
server is checked and every argument built once (the ticket's text, the branch, the
commit message, the transition's values). The :class:`Prepared` step holds the lines it
would send (the dry run, the wizard's log) and ``send``, which makes exactly those
requests with exactly those values and returns an :class:`Outcome`: what came back (key,
URL, SHA) as one line, and ``apply(draft)`` which stores it in a draft with its timeline
event. The caller applies it to *its* draft and saves at once — the CLI to the draft it
loaded (or a fresh copy after a conflict), the wizard to the open draft on the UI thread
(the step is prepared on a copy and sent from a worker thread). Steps whose results
arrive one at a time (the PR number before its reviewers, each follow-up key) hand
intermediate outcomes to ``progress``, so a failure half-way loses nothing.

``Step.holds(draft)`` says whether the fact a step establishes is in the draft (the
wizard's ticks, F8 "run the next step"); ``STEPS`` is the catalogue by name.

No Textual here; the services import their client libraries lazily.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..services.errors import CONFIG, REFUSED, Ending, ServiceError

if TYPE_CHECKING:
    from ..config import Config
    from ..model import Draft
    from ..render import RenderContext
    from ..services import Services
    from ..services.jira import NewIssue

class StepError(Exception):
    """A problem with the request (``Ending.USAGE``), or a refused precondition (``Ending.REFUSED``)."""

    def __init__(self, message: str, ending: Ending = Ending.USAGE):
        super().__init__(message)
        self.ending = ending


@dataclass
class Outcome:
    """What a step produced: ``result`` to show, ``apply`` to store it (with its event)."""

    apply: Callable[[Draft], None]
    result: str
    data: Any = None
    warnings: list[str] = field(default_factory=list)


def _nothing(_draft: Draft) -> None:
    return None


Progress = Callable[[Outcome], None]


def _ignore(_outcome: Outcome) -> None:
    return None


@dataclass
class Prepared:
    """A step made ready: ``lines`` are every request or git command it makes (the dry run,
    the wizard's log), and ``send(progress)`` makes exactly those, with the same values.

    ``text`` is the composed text it sends when the caller shows it first (the commit
    message in the wizard's confirmation).
    """

    lines: list[str]
    send: Callable[[Progress], Any]
    text: str = ""


@dataclass(frozen=True)
class Step:
    """One remote step: which system it needs, its ``hotfix`` command, how it is prepared,
    the fact it establishes (``holds``), and the gate it passes (a ``STEP_GATES`` key).

    ``already`` marks a step that must never be done twice (a second ticket, a second
    follow-up): while its fact holds there is nothing to do, and it says so. ``options``
    are bound arguments (the status of a move to In Progress, Testing or Done).
    """

    name: str
    system: str  # "jira" | "git" | "github" | "slack"
    command: tuple[str, str | None]  # `hotfix jira create` → ("jira", "create"); `hotfix status` → ("status", None)
    build: Callable[..., Prepared]
    holds: Callable[[Draft], bool]
    gate: str = ""
    already: Callable[[Draft], str] | None = None
    options: Mapping[str, Any] = field(default_factory=dict)

    def prepare(self, sc: StepContext, draft: Draft, **options: Any) -> Prepared:
        """Check what needs no server and build the request; StepError/ServiceError when refused."""
        return self.build(sc, draft, **{**self.options, **options})

    def run(self, sc: StepContext, draft: Draft, progress: Progress = _ignore, **options: Any) -> Any:
        return self.prepare(sc, draft, **options).send(progress)


@dataclass
class StepContext:
    services: Services
    config: Config

    @property
    def lang(self) -> str:
        return "en" if self.config.ui.language == "en" else "ko"

    def event(self, name: str, /, **values: Any) -> str:
        from ..i18n import tr

        return tr(f"step.{name}", self.lang, **values)

    @property
    def rctx(self) -> RenderContext:
        from ..render import RenderContext

        return RenderContext.from_config(self.config)

    def status(self, alias: str) -> str:
        """``in_progress``/``testing``/``done`` → the configured status name; else as given."""
        if alias in STATUS_ALIASES:
            return getattr(self.config.jira.statuses, alias)
        return alias

    @property
    def webhook(self) -> str:
        env = self.config.github.slack_webhook_env
        return os.environ.get(env, "").strip() if env else ""


STATUS_ALIASES = ("in_progress", "testing", "done")


def now() -> str:
    from ..model import now_iso

    return now_iso()


# -- preconditions ----------------------------------------------------------------------------


def need_key(draft: Draft, sc: StepContext) -> str:
    """The draft's Jira key, refused unless it is a key of the configured project.

    A draft is text anyone can edit and the key goes into request paths and branch
    names: a key like ``../../evil?x=1#`` stops here, with one message and no request
    (the Jira service refuses it again at its door).
    """
    key = draft.backlog.jira_key.strip()
    if not key:
        raise StepError("the draft has no Jira key yet: run `hotfix jira create DRAFT` or type the key", Ending.REFUSED)
    from ..services.jira import check_key

    return check_key(key, sc.config.jira.project_key)


def need_pr(draft: Draft) -> int:
    """The draft's PR number, refused unless it is a positive whole number (no request made)."""
    from ..services.github import check_number

    if draft.pr.number in (0, None, ""):
        raise StepError("the draft has no PR yet: run `hotfix pr create DRAFT` or type the PR URL", Ending.REFUSED)
    return check_number(draft.pr.number)


def need(service: Any) -> None:
    if not service.configured:
        which = "[jira] url" if service.system == "jira" else "[github] repo"
        raise ServiceError(service.system, f"not configured ({which} is empty)", kind=CONFIG,
                           hint="set it in the config, or do this step by hand and type the result back")


def check(sc: StepContext, draft: Draft, phase: str) -> None:
    """Refuse to send text that still has template placeholders or breaks §-rules."""
    from .validation import ERROR, validate

    errors = [f for f in validate(draft, sc.rctx, [phase]) if f.level == ERROR]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more; see `hotfix validate`)" if len(errors) > 1 else ""
        raise StepError(f"{first.field}: {first.message}{more}", Ending.REFUSED)


def refuse_placeholders(sc: StepContext, draft: Draft, phase: str, what: str,
                        artifacts: tuple[str, ...] = ()) -> None:
    """Exit 1 naming the empty fields while the text ``phase`` sends (or ``artifacts``) holds a ``{…}`` slot.

    Decided from which fields the renderer left as template slots, never by searching
    the text: a value that itself contains braces is the user's.
    """
    from ..render.artifacts import placeholders
    from .validation import placeholder_fields

    found = ([field for artifact in artifacts for field in placeholders(draft, artifact, sc.rctx)] if artifacts
             else [field for _artifact, field in placeholder_fields(draft, sc.rctx, phase)])
    empty = list(dict.fromkeys(found))
    if empty:
        raise StepError(f"{what} would still hold template placeholders: fill {', '.join(empty)} "
                        "first (`hotfix validate DRAFT` lists them)", Ending.REFUSED)


def branch_of(sc: StepContext, draft: Draft) -> str:
    from ..render.artifacts import branch_name

    return draft.branch.name.strip() or branch_name(draft, sc.rctx)


def owned_branch(sc: StepContext, draft: Draft) -> str:
    """The draft's branch, when it is named as this draft's own: ``hotfix/KEY-slug`` (``KEY-slug``
    on the regular bug-fix path). Anything else (``release``, ``main``, another ticket's
    branch) is never committed on, pushed or deleted by the tool: StepError, exit 1.
    """
    import re

    key = need_key(draft, sc)
    name = branch_of(sc, draft)
    prefix = "hotfix/" if draft.is_hotfix else ""
    expected = f"{prefix}{key}-<slug>"
    if not re.fullmatch(rf"{re.escape(prefix)}{re.escape(key)}-[a-z0-9]+(?:-[a-z0-9]+)*", name):
        raise StepError(f"branch {name!r} is not this draft's branch ({expected}): the tool only commits on, "
                        f"pushes and deletes the draft's own branch; fix [branch] name in the draft", Ending.REFUSED)
    return name


def same_status(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


# -- Jira --------------------------------------------------------------------------------------


def hotfix_issue(draft: Draft, ctx: RenderContext) -> NewIssue:
    """§2's Bug as Jira gets it: the title, §2.2 in wiki markup, the labels (``hotfix`` unless
    triage said bug-fix), the severity for ``[jira.priorities]`` and the components."""
    from ..render import render
    from ..render.artifacts import strip_hotfix_prefix
    from ..services.jira import HOTFIX_LABEL, NewIssue

    b = draft.backlog
    if not strip_hotfix_prefix(b.summary):
        raise ServiceError("jira", "the draft has no problem summary yet", kind=REFUSED,
                           hint="type the summary (§2.1 title) first")
    return NewIssue(
        summary=render(draft, "jira-title", ctx).strip(),
        description=sent_description(draft, ctx),
        labels=[*b.labels, HOTFIX_LABEL] if draft.is_hotfix else list(b.labels),
        severity=b.priority.strip() or draft.triage.severity.strip(),
        components=list(b.components),
    )


def _jira_create(sc: StepContext, draft: Draft) -> Prepared:
    """§2: file the Bug (or find the one a lost answer hid); store key and URL first of all."""
    jira = sc.services.jira
    need(jira)
    refuse_placeholders(sc, draft, "backlog", "the Jira ticket")
    issue = hotfix_issue(draft, sc.rctx)
    cause = draft.backlog.root_cause.strip()

    def send(_progress: Progress) -> Outcome:
        ref = jira.create_issue(issue)

        def apply(d: Draft) -> None:
            d.backlog.jira_key, d.backlog.jira_url = ref.key, ref.url
            if not ref.reused:
                d.backlog.root_cause_sent = cause
                if cause:
                    d.backlog.cause_sent_at = d.backlog.cause_sent_at or now()
            d.add_event(sc.event("jira_reused" if ref.reused else "jira_created", key=ref.key), source="auto")

        return Outcome(apply, f"{ref.key} {ref.url}", ref)

    return Prepared(jira.create_issue(issue, dry_run=True), send)


def move_values(sc: StepContext, draft: Draft, status: str, fields: dict[str, str] | None = None,
                clock: Callable[[], Any] | None = None) -> dict[str, Any]:
    """What a move sends besides the transition, from the draft's facts (computed once, when
    the move is prepared: the dry-run lines, the wizard's log and the request all show it).

    A Done screen's required Log Work defaults to the time since the ticket was moved to
    In Progress (``backlog.jira_moved_at["in_progress"]``) until now; without that fact
    there is no default and the screen's refusal asks for a value.
    """
    import datetime as _dt

    from ..model import in_zone
    from ..model import now as clock_now
    from ..services.jira import jira_duration

    values: dict[str, Any] = {"fields": dict(fields or {})}
    if status == "in_progress" or same_status(sc.status(status), sc.config.jira.statuses.in_progress):
        return values
    since = draft.backlog.jira_moved_at.get("in_progress", "").strip()
    try:
        started = _dt.datetime.fromisoformat(since) if since else None
    except ValueError:
        started = None
    if started is None:
        return values
    if started.tzinfo is None:
        started = in_zone(started)  # a naive time is in the configured zone
    current = (clock or clock_now)()
    values["worklog_default"] = jira_duration((current - started).total_seconds())
    values["worklog_started"] = started.replace(microsecond=0).isoformat()
    # Shown in the configured zone ([ui] timezone), as every time on screen.
    values["worklog_basis"] = f"since {sc.config.jira.statuses.in_progress} at {in_zone(started).strftime('%H:%M')}"
    return values


def sent_description(draft: Draft, ctx: RenderContext) -> str:
    """§2.2 as it goes to Jira: wiki markup, a cause not known yet as "under analysis"."""
    from dataclasses import replace

    from ..render import render

    return render(draft, "jira-description", replace(ctx, sending=True), fmt="jira")


def _jira_update(sc: StepContext, draft: Draft) -> Prepared:
    """§2.2 "분석 후 업데이트": send the description again once the root cause is written."""
    key = need_key(draft, sc)
    jira = sc.services.jira
    need(jira)
    refuse_placeholders(sc, draft, "backlog", "the Jira description")
    cause = draft.backlog.root_cause.strip()
    description = sent_description(draft, sc.rctx)

    def send(_progress: Progress) -> Outcome:
        jira.update_description(key, description)

        def apply(d: Draft) -> None:
            d.backlog.root_cause_sent = cause
            if cause:
                d.backlog.cause_sent_at = d.backlog.cause_sent_at or now()
            d.add_event(sc.event("jira_updated", key=key), source="auto")

        return Outcome(apply, f"{key} description updated" + ("" if cause else " (root cause: under analysis)"), key)

    return Prepared(jira.update_description(key, description, dry_run=True), send)


def jira_cause_stale(draft: Draft) -> bool:
    """The ticket exists and its root cause differs from the draft's (a `jira update` is due)."""
    cause = draft.backlog.root_cause.strip()
    return bool(draft.backlog.jira_key.strip()) and bool(cause) and draft.backlog.root_cause_sent.strip() != cause


def _jira_move(sc: StepContext, draft: Draft, status: str, fields: dict[str, str] | None = None,
               expect_from: str = "") -> Prepared:
    """Move the ticket to a status by name (``in_progress``/``testing``/``done`` from config).

    The values besides the transition (a Done screen's Log Work since In Progress) are
    computed here, once: the lines show what :func:`send` sends; a retry prepares again.
    ``expect_from`` (a queued move) is the status the ticket must still be in.
    """
    target = sc.status(status)
    key = need_key(draft, sc)
    jira = sc.services.jira
    need(jira)
    values = move_values(sc, draft, status, fields)
    if expect_from:
        values["expect_from"] = expect_from

    def send(_progress: Progress) -> Outcome:
        result = jira.move(key, target, **values)
        alias = status if status in STATUS_ALIASES else next(
            (a for a in STATUS_ALIASES if same_status(result.status, sc.status(a))), result.status)
        if not result.changed:
            # Already there (moved by hand, or an earlier attempt whose answer was lost): the
            # fact is recorded all the same, keeping the first time it was known.
            return Outcome(lambda d: d.record_jira_move(alias, result.status, now(), keep_first=True),
                           f"{key} is already in '{result.status}'", result)

        def apply(d: Draft) -> None:
            d.record_jira_move(alias, result.status, now())
            d.add_event(sc.event("jira_moved", key=key, status=result.status), source="auto")

        filled = "".join(f", {k}={v}" for k, v in result.filled.items())
        return Outcome(apply, f"{key} → {result.status} (via '{result.transition}'{filled})", result,
                       warnings=list(result.unverified))

    return Prepared(jira.move(key, target, dry_run=True, **values), send)


def rca_text(sc: StepContext, draft: Draft) -> str:
    """§8.1's RCA (timeline, root cause, prevention, process) as the ticket gets it: wiki markup."""
    from ..render import render

    return render(draft, "rca", sc.rctx, fmt="jira")


def _rca_comment(sc: StepContext, draft: Draft) -> Prepared:
    """§8.1–8.2 팀 공유: the RCA as a comment on the hotfix ticket (again after it changed).

    What was posted is a fact: its time and the SHA-256 of the text, so the Post screen's
    tick and `hotfix export` know which RCA the ticket holds.
    """
    import hashlib

    key = need_key(draft, sc)
    jira = sc.services.jira
    need(jira)
    refuse_placeholders(sc, draft, "post", "the RCA", artifacts=("rca",))
    text = rca_text(sc, draft)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()

    def send(_progress: Progress) -> Outcome:
        comment_id = jira.comment(key, text)

        def apply(d: Draft) -> None:
            d.rca.commented_at, d.rca.commented_sha256 = now(), digest
            d.add_event(sc.event("rca_commented", key=key), source="auto")

        return Outcome(apply, f"{key} RCA commented" + (f" (comment {comment_id})" if comment_id else ""), comment_id)

    return Prepared(jira.comment(key, text, dry_run=True), send, text=text)


def todo_followups(draft: Draft) -> list[int]:
    return [i for i, item in enumerate(draft.followups) if not item.key.strip() and item.summary.strip()]


def followup_issues(draft: Draft, ctx: RenderContext) -> tuple[str, list[int], list[NewIssue]]:
    """§8.2: the hotfix key, and the follow-ups still without a ticket (their positions in
    ``draft.followups`` and their tickets' text)."""
    from ..render.artifacts import followup
    from ..render.jira_wiki import markdown_to_jira
    from ..services.errors import one_line
    from ..services.jira import NewIssue

    hotfix_key = draft.backlog.jira_key.strip()
    if not hotfix_key:
        raise ServiceError("jira", "the draft has no Jira key yet", kind=REFUSED,
                           hint="create the hotfix ticket first (or type its key)")
    todo = todo_followups(draft)
    items = [draft.followups[i] for i in todo]
    return hotfix_key, todo, [NewIssue(one_line(item.summary), markdown_to_jira(followup(draft, item, ctx)))
                              for item in items]


def _followups(sc: StepContext, draft: Draft, issue_type: str = "Task") -> Prepared:
    """§8.2: a linked ticket per follow-up without a key; ``progress`` stores each at once.

    ``draft`` may be a copy: each outcome finds its row by position among the draft's
    follow-ups, which the caller's draft shares.
    """
    need_key(draft, sc)
    jira = sc.services.jira
    need(jira)
    hotfix_key, todo, issues = followup_issues(draft, sc.rctx)
    summaries = [draft.followups[i].summary.strip() for i in todo]

    def send(progress: Progress) -> list[Outcome]:
        outcomes: list[Outcome] = []

        def created(position: int, ref: Any) -> None:
            index, summary = todo[position], summaries[position]

            def apply(d: Draft) -> None:
                if index < len(d.followups):
                    d.followups[index].key, d.followups[index].url = ref.key, ref.url
                d.add_event(sc.event("followup", key=ref.key, summary=summary), source="auto")

            outcome = Outcome(apply, f"{ref.key} {ref.url}  {summary}" + ("  (reused)" if ref.reused else ""), ref)
            outcomes.append(outcome)
            progress(outcome)

        jira.create_followups(hotfix_key, issues, issue_type=issue_type, on_created=created)
        return outcomes

    return Prepared(jira.create_followups(hotfix_key, issues, issue_type=issue_type, dry_run=True), send)


# -- git ---------------------------------------------------------------------------------------


def _git_branch(sc: StepContext, draft: Draft, switch: bool = False) -> Prepared:
    """§3.2: update main (fast-forward only) and create hotfix/KEY-slug, or switch to it."""
    need_key(draft, sc)
    check(sc, draft, "branch")
    name = owned_branch(sc, draft)
    git = sc.services.git

    def send(_progress: Progress) -> Outcome:
        if switch:
            base = git.switch_to_existing(name)
            event = sc.event("branch_switched", name=name)
        else:
            base = git.create_branch(name)
            event = sc.event("branch_created", name=name, main=git.main, sha=base[:7])

        def apply(d: Draft) -> None:
            d.branch.name, d.branch.base = name, base
            d.branch.created_at = d.branch.created_at or now()
            d.add_event(event, source="auto")

        return Outcome(apply, f"{name} {base}", base)

    return Prepared(git.switch_to_existing(name, dry_run=True) if switch else git.create_branch(name, dry_run=True),
                    send)


def commit_message(sc: StepContext, draft: Draft) -> str:
    from ..render import render

    return render(draft, "commit", sc.rctx)


def _git_commit(sc: StepContext, draft: Draft) -> Prepared:
    """§4.2: commit what is staged with the composed message, on the draft's own branch only."""
    from ..render.artifacts import commit_subject

    need_key(draft, sc)
    refuse_placeholders(sc, draft, "commit", "the commit message")
    check(sc, draft, "commit")
    branch = owned_branch(sc, draft)
    message = commit_message(sc, draft)
    subject = commit_subject(draft, sc.rctx)
    git = sc.services.git

    def send(_progress: Progress) -> Outcome:
        sha = git.commit(message, branch=branch)

        def apply(d: Draft) -> None:
            d.commit.sha = sha
            d.add_event(sc.event("committed", sha=sha[:7], subject=subject), source="auto")

        return Outcome(apply, f"{sha}  {subject}", sha)

    return Prepared(git.commit(message, branch=branch, dry_run=True), send, text=message)


def _git_push(sc: StepContext, draft: Draft) -> Prepared:
    """§4.4: push the hotfix branch with its upstream (the draft's own branch only)."""
    branch = owned_branch(sc, draft)
    # What is pushed was committed with the draft's message: not while it has a slot.
    refuse_placeholders(sc, draft, "commit", "the pushed commit's message")
    git = sc.services.git

    def send(_progress: Progress) -> Outcome:
        sha = git.push(branch)

        def apply(d: Draft) -> None:
            d.commit.pushed_at = now()
            d.commit.sha = d.commit.sha or sha
            d.add_event(sc.event("pushed", branch=branch, sha=sha[:7]), source="auto")

        return Outcome(apply, f"{branch} {sha}", sha)

    return Prepared(git.push(branch, dry_run=True), send)


def cleanup_confirmed(draft: Draft, confirm: str) -> bool:
    """``--force KEY``: forcing a delete needs the draft's Jira key typed exactly (exit 1 otherwise)."""
    confirm = confirm.strip()
    if not confirm:
        return False
    key = draft.backlog.jira_key.strip()
    if confirm != key:
        raise StepError(f"--force needs the draft's Jira key typed exactly ({key or 'no key yet'}), "
                        f"not {confirm!r}", Ending.REFUSED)
    return True


def merged_pr_head(sc: StepContext, number: Any, branch: str) -> str:
    """The head commit of PR ``number`` when GitHub says, now, that it is merged; else "".

    Asked at the moment of clean-up (never read from ``draft.merge.merged_at``), and only
    believed for a PR whose head is this branch.
    """
    github = sc.services.github
    if not number or not github.configured:
        return ""
    pr = github.pull(number)
    try:
        merged, head_ref, head_sha = bool(pr.merged), str(pr.head.ref), str(pr.head.sha or "")
    except Exception as exc:  # noqa: BLE001 - a malformed answer is no proof of a merge
        raise ServiceError("github", f"could not read pull request #{number}: {exc}", server=github.api,
                           kind=REFUSED, hint="check [github] repo and the draft's PR number") from None
    return head_sha if merged and head_ref == branch else ""


def _git_cleanup(sc: StepContext, draft: Draft, confirm: str = "") -> Prepared:
    """§7.2: delete the draft's own branch locally and on the remote, update main.

    Only when the merge is a fact checked now (GitHub says the PR is merged, or the
    branch is contained in the fetched remote main), or forced with the Jira key typed.
    """
    branch = owned_branch(sc, draft)
    forced = cleanup_confirmed(draft, confirm)
    git, github = sc.services.git, sc.services.github
    number = draft.pr.number
    lines = []
    asks_github = not forced and bool(number) and github.configured
    if asks_github:
        lines.append(f"GET {github.api}/repos/{github.cfg.repo}/pulls/{number}  (merged? its head commit)")
    lines += git.cleanup(branch, merged_head="<PR head, if merged>" if asks_github else "", force=forced,
                         dry_run=True)

    def send(_progress: Progress) -> Outcome:
        merged_head = merged_pr_head(sc, number, branch) if asks_github else ""
        result = git.cleanup(branch, merged_head=merged_head, force=forced)

        def apply(d: Draft) -> None:
            stamp = now()
            d.merge.branch_deleted_at = d.merge.branch_deleted_at or stamp
            d.merge.main_updated_at = stamp
            d.add_event(sc.event("cleanup", main=git.main, sha=result.main_sha[:7]), source="auto")

        done = [w for w, yes in (("local branch deleted", result.local_deleted),
                                 ("remote branch deleted", result.remote_deleted)) if yes]
        return Outcome(apply, f"{git.main} {result.main_sha}" + (f"  ({', '.join(done)})" if done else ""), result)

    return Prepared(lines, send)


# -- GitHub ------------------------------------------------------------------------------------


def pr_texts(sc: StepContext, draft: Draft) -> tuple[str, str]:
    from ..render import render

    return render(draft, "pr-title", sc.rctx).strip(), render(draft, "pr-body", sc.rctx)


def reviewers_of(sc: StepContext, draft: Draft) -> list[str]:
    return draft.merge.reviewers or list(sc.config.github.reviewers)


def _pr_create(sc: StepContext, draft: Draft, jira_comment: bool = True, slack: bool = True) -> Prepared:
    """§6: open (or reuse) the PR, label it, request reviews; then tell Jira and Slack.

    ``progress`` receives, as each happens: the PR number (before labels and reviewers),
    the comment on the ticket, the Slack message. The PR exists either way, so a failure
    of the announcements is a warning in the returned outcome.
    """
    key = need_key(draft, sc)
    refuse_placeholders(sc, draft, "pr", "the pull request")
    check(sc, draft, "pr")
    github = sc.services.github
    need(github)
    head = branch_of(sc, draft)
    title, body = pr_texts(sc, draft)
    reviewers = reviewers_of(sc, draft)
    first_time = not draft.pr.url.strip()
    jira = sc.services.jira
    comment = jira_comment and jira.configured
    webhook = sc.webhook if slack else ""

    lines = github.open_pr(head, title, body, reviewers=reviewers, dry_run=True)
    if comment:
        lines += jira.comment(key, sc.event("pr_comment", title=title, url="<PR URL>"), dry_run=True)
    if webhook:
        from ..services.slack import post_slack

        lines += post_slack(webhook, sc.event("slack_text", title=title, url="<PR URL>"), dry_run=True) or []

    def send(progress: Progress) -> Outcome:
        def opened(ref: Any) -> None:
            def apply(d: Draft) -> None:
                d.pr.number, d.pr.url = ref.number, ref.url
                d.pr.opened_at = d.pr.opened_at or now()

            progress(Outcome(apply, f"#{ref.number} {ref.url}", ref))

        ref = github.open_pr(head, title, body, reviewers=reviewers, on_opened=opened)
        requested_at = now() if ref.reviewers else ""  # the reviews were just requested

        def apply(d: Draft) -> None:
            d.pr.number, d.pr.url = ref.number, ref.url
            d.pr.opened_at = d.pr.opened_at or now()
            if ref.reviewers:
                d.merge.reviewers = list(dict.fromkeys([*d.merge.reviewers, *ref.reviewers]))
                d.merge.review_requested_at = d.merge.review_requested_at or requested_at
            names = sc.event("reviewers", names=", ".join(ref.reviewers)) if ref.reviewers else ""
            d.add_event(sc.event("pr_reused" if ref.reused else "pr_opened", number=ref.number, reviewers=names),
                        source="auto")

        main = Outcome(apply, f"#{ref.number} {ref.url}" + ("  (reused: it was already open)" if ref.reused else ""),
                       ref)
        progress(main)
        warnings = announce(sc, key, title, ref.url, progress, jira_comment=comment, webhook=webhook) \
            if first_time else []
        return Outcome(_nothing, main.result, ref, warnings)

    return Prepared(lines, send)


def announce(sc: StepContext, key: str, title: str, url: str, on_done: Progress, *,
             jira_comment: bool, webhook: str) -> list[str]:
    """Best effort: the PR link on the ticket, the review request on Slack. Returns warnings."""
    warnings: list[str] = []
    if jira_comment:
        try:
            sc.services.jira.comment(key, sc.event("pr_comment", title=title, url=url))
        except ServiceError as exc:
            warnings.append(f"PR link not commented on {key}: {exc}")
        else:
            on_done(Outcome(lambda d: d.add_event(sc.event("jira_commented", key=key), source="auto"),
                            f"commented on {key}"))
    if webhook:
        from ..services.slack import post_slack

        try:
            post_slack(webhook, sc.event("slack_text", title=title, url=url),
                       env_name=sc.config.github.slack_webhook_env)
        except ServiceError as exc:
            warnings.append(f"review request not posted: {exc}")
        else:
            on_done(Outcome(lambda d: d.add_event(sc.event("slack"), source="auto"), "posted to Slack"))
    return warnings


def _pr_status(sc: StepContext, draft: Draft) -> Prepared:
    """§7.1: the review state and the minutes against the one-hour target (a read: no fact
    is stored; the value is a ``ReviewStatus``)."""
    number = need_pr(draft)
    github = sc.services.github
    need(github)
    requested_at = draft.merge.review_requested_at
    return Prepared([f"GET {github.api}/repos/{github.cfg.repo}/pulls/{number}",
                     f"GET {github.api}/repos/{github.cfg.repo}/pulls/{number}/reviews"],
                    lambda _progress: github.review_status(number, requested_at=requested_at))


class NotApproved(ServiceError):
    """The PR has no approval and no self-merge was confirmed: ``status`` is what GitHub said."""

    def __init__(self, number: int, key: str, status: Any, server: str):
        super().__init__("github", f"#{number} is not approved yet ({status.state})", server=server, kind=REFUSED,
                         hint=f"wait for a review, or self-merge (§7.1, reviewed afterwards): --self-merge {key or 'KEY'}")
        self.review = status


def _pr_merge(sc: StepContext, draft: Draft, confirm: str = "", method: str | None = None,
              delete_branch: bool = True) -> Prepared:
    """§7.1: merge when approved; without approval only with the Jira key typed (self-merge).

    The approval is asked of GitHub when the step is sent, never taken from the draft;
    without one (and no self-merge confirmed) the step fails with :class:`NotApproved`.
    """
    number = need_pr(draft)
    key = draft.backlog.jira_key.strip()
    github = sc.services.github
    need(github)
    method = method or sc.config.github.merge_method
    confirm = confirm.strip()
    if confirm and confirm != key:
        raise StepError(f"--self-merge needs the draft's Jira key typed exactly ({key or 'no key yet'}), "
                        f"not {confirm!r}", Ending.REFUSED)
    requested_at = draft.merge.review_requested_at
    lines = ([f"GET {github.api}/repos/{github.cfg.repo}/pulls/{number}/reviews  (must be approved"
              + (", or self-merge confirmed)" if not confirm else "; self-merge confirmed)")]
             + github.merge(number, method=method, delete_branch=delete_branch, dry_run=True))

    def send(_progress: Progress) -> Outcome:
        status = github.review_status(number, requested_at=requested_at)
        self_merge = False
        if not status.merged and not status.approved:
            if not confirm:
                raise NotApproved(number, key, status, github.api)
            self_merge = True
        result = github.merge(number, method=method, delete_branch=delete_branch)
        merged_at = result.merged_at or now()  # GitHub's time for an earlier merge, else this one

        def apply(d: Draft) -> None:
            known = bool(d.merge.merged_at)  # a retry after a lost answer: recorded once
            d.merge.merged_at = d.merge.merged_at or merged_at
            d.merge.merged_per = "github"  # GitHub's answer outranks an earlier hand record
            d.merge.merge_sha = result.sha
            d.merge.self_merge = d.merge.self_merge or self_merge
            if result.branch_deleted:
                d.merge.branch_deleted_at = d.merge.branch_deleted_at or now()
            if not known:
                name = "self_merged" if self_merge else "merged"
                d.add_event(sc.event(name, number=number, method=result.method, sha=result.sha[:7]), source="auto")

        note = "  (it was already merged)" if result.already else ("  (self-merge)" if self_merge else "")
        return Outcome(apply, f"{result.sha}{note}", result)

    return Prepared(lines, send)


# -- the team channel --------------------------------------------------------------------------


def status_text(sc: StepContext, draft: Draft, next_minutes: int | None = None) -> str:
    """The status update as of now (workflow/status_update.py), the next one ``next_minutes`` away."""
    from ..model import now as clock_now
    from .status_update import NEXT_UPDATE_MINUTES, check_next_minutes, status_update

    try:
        minutes = check_next_minutes(NEXT_UPDATE_MINUTES if next_minutes is None else next_minutes)
    except ValueError as exc:
        raise StepError(str(exc)) from None
    return status_update(draft, sc.lang, clock_now(), minutes, sc.config.monitor.minutes)


def _status_post(sc: StepContext, draft: Draft, next_minutes: int | None = None) -> Prepared:
    """§8.2 팀 공유: the status update posted to the Slack webhook; the post goes on the timeline."""
    from ..services.errors import CONFIG
    from ..services.slack import post_slack

    webhook = sc.webhook
    if not webhook:
        raise ServiceError("slack", "no webhook is configured", kind=CONFIG,
                           hint="set [github] slack_webhook_env and that variable, or copy the message "
                           "(`hotfix status DRAFT`) and post it yourself")
    text = status_text(sc, draft, next_minutes)
    env_name = sc.config.github.slack_webhook_env

    def send(_progress: Progress) -> Outcome:
        post_slack(webhook, text, env_name=env_name)
        return Outcome(lambda d: d.add_event(sc.event("status_posted"), source="auto"), "posted to the team channel",
                       text)

    return Prepared(post_slack(webhook, text, dry_run=True) or [], send, text=text)


# -- the catalogue -----------------------------------------------------------------------------


def _jira_moved(status: str) -> Callable[[Draft], bool]:
    return lambda d: d.jira_moved(status)


_JIRA_MOVE = Step("jira_move", "jira", ("jira", "move"), _jira_move, lambda _d: False)

STEPS: dict[str, Step] = {step.name: step for step in (
    Step("jira_create", "jira", ("jira", "create"), _jira_create, lambda d: bool(d.backlog.jira_key.strip()),
         already=lambda d: f"{d.backlog.jira_key} {d.backlog.jira_url}  (already in the draft; nothing to do)"),
    # Due once the ticket exists and the root cause typed is not the one it has.
    Step("jira_update", "jira", ("jira", "update"), _jira_update, lambda d: not jira_cause_stale(d)),
    _JIRA_MOVE,
    *(replace(_JIRA_MOVE, name=alias, holds=_jira_moved(alias), options={"status": alias},
              gate="jira move done" if alias == "done" else "") for alias in STATUS_ALIASES),
    Step("followups", "jira", ("jira", "followups"), _followups, lambda d: not todo_followups(d),
         already=lambda _d: "no follow-ups without a key; nothing to do"),
    Step("rca_comment", "jira", ("jira", "comment"), _rca_comment, lambda d: bool(d.rca.commented_at)),
    Step("branch", "git", ("git", "branch"), _git_branch,
         lambda d: bool(d.branch.base.strip() or d.branch.created_at)),
    Step("commit", "git", ("git", "commit"), _git_commit, lambda d: bool(d.commit.sha.strip()), gate="git commit"),
    Step("push", "git", ("git", "push"), _git_push, lambda d: bool(d.commit.pushed_at), gate="git push"),
    Step("cleanup", "git", ("git", "cleanup"), _git_cleanup, lambda d: bool(d.merge.main_updated_at)),
    Step("pr_create", "github", ("pr", "create"), _pr_create, lambda d: bool(d.pr.url.strip()), gate="pr create"),
    Step("review", "github", ("pr", "status"), _pr_status, lambda d: bool(d.merge.merged_at)),
    Step("merge", "github", ("pr", "merge"), _pr_merge, lambda d: bool(d.merge.merged_at), gate="pr merge"),
    # Repeated as often as the team needs an update: no fact makes it done.
    Step("status_post", "slack", ("status", None), _status_post, lambda _d: False),
)}


def move_step(sc: StepContext, status: str) -> Step:
    """The move to ``status``: the named step of a configured alias (``done``, also when
    the status is given by its Jira name, passes §7.2's gate), else a move to a literal status."""
    for alias in STATUS_ALIASES:
        if status == alias or same_status(status, sc.status(alias)):
            return replace(STEPS[alias], options={"status": status})
    return replace(_JIRA_MOVE, options={"status": status})
