"""The remote steps of §2–§8 (Jira, git, GitHub), shared by the `hotfix jira|git|pr` commands and the wizard.

Each step talks to a service and returns an :class:`Outcome`: what came back (key, URL,
SHA) as one line, and ``apply(draft)`` which stores it in a draft with its timeline
event. The caller applies it to *its* draft and saves at once — the CLI to the draft it
loaded (or a fresh copy after a conflict), the wizard to the open draft on the UI thread
(the step itself runs in a worker thread on a copy). Steps whose results arrive one at a
time (the PR number before its reviewers, each follow-up key) hand intermediate outcomes
to a callback, so a failure half-way loses nothing.

``plan_*`` give the dry-run lines: every request or git command the step would make.

No Textual here; the services import their client libraries lazily.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
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


def refuse_placeholders(sc: StepContext, draft: Draft, phase: str, what: str) -> None:
    """Exit 1 naming the empty fields while the text ``phase`` sends holds a ``{…}`` slot.

    Decided from which fields the renderer left as template slots, never by searching
    the text: a value that itself contains braces is the user's.
    """
    from .validation import placeholder_fields

    empty = list(dict.fromkeys(field for _artifact, field in placeholder_fields(draft, sc.rctx, phase)))
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


def plan_jira_create(sc: StepContext, draft: Draft) -> list[str]:
    need(sc.services.jira)
    return sc.services.jira.create_issue(hotfix_issue(draft, sc.rctx), dry_run=True)


def jira_create(sc: StepContext, draft: Draft) -> Outcome:
    """§2: file the Bug (or find the one a lost answer hid); store key and URL first of all."""
    jira = sc.services.jira
    need(jira)
    refuse_placeholders(sc, draft, "backlog", "the Jira ticket")
    ref = jira.create_issue(hotfix_issue(draft, sc.rctx))

    cause = draft.backlog.root_cause.strip()

    def apply(d: Draft) -> None:
        d.backlog.jira_key, d.backlog.jira_url = ref.key, ref.url
        if not ref.reused:
            d.backlog.root_cause_sent = cause
        d.add_event(sc.event("jira_reused" if ref.reused else "jira_created", key=ref.key), source="auto")

    return Outcome(apply, f"{ref.key} {ref.url}", ref)


def move_values(sc: StepContext, draft: Draft, status: str, fields: dict[str, str] | None = None,
                clock: Callable[[], Any] | None = None) -> dict[str, Any]:
    """What a move sends besides the transition, from the draft's facts: the one builder for
    the dry-run lines, the wizard's log and the request.

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


def plan_jira_update(sc: StepContext, draft: Draft) -> list[str]:
    need(sc.services.jira)
    key = draft.backlog.jira_key.strip() or "<KEY>"
    return sc.services.jira.update_description(key, sent_description(draft, sc.rctx), dry_run=True)


def jira_update(sc: StepContext, draft: Draft) -> Outcome:
    """§2.2 "분석 후 업데이트": send the description again once the root cause is written."""
    key = need_key(draft, sc)
    jira = sc.services.jira
    need(jira)
    refuse_placeholders(sc, draft, "backlog", "the Jira description")
    cause = draft.backlog.root_cause.strip()
    jira.update_description(key, sent_description(draft, sc.rctx))

    def apply(d: Draft) -> None:
        d.backlog.root_cause_sent = cause
        d.add_event(sc.event("jira_updated", key=key), source="auto")

    return Outcome(apply, f"{key} description updated" + ("" if cause else " (root cause: under analysis)"), key)


def jira_cause_stale(draft: Draft) -> bool:
    """The ticket exists and its root cause differs from the draft's (a `jira update` is due)."""
    cause = draft.backlog.root_cause.strip()
    return bool(draft.backlog.jira_key.strip()) and bool(cause) and draft.backlog.root_cause_sent.strip() != cause


def plan_jira_move(sc: StepContext, draft: Draft, status: str, fields: dict[str, str] | None = None,
                   values: dict[str, Any] | None = None) -> list[str]:
    """The move's requests and values; pass the ``values`` the move will get (from
    :func:`move_values`, computed once) so the Log Work shown is the one sent."""
    need(sc.services.jira)
    key = draft.backlog.jira_key.strip() or "<KEY>"
    values = values if values is not None else move_values(sc, draft, status, fields)
    return sc.services.jira.move(key, sc.status(status), dry_run=True, **values)


def jira_move(sc: StepContext, draft: Draft, status: str, fields: dict[str, str] | None = None,
              values: dict[str, Any] | None = None) -> Outcome:
    """Move the ticket to a status by name (``in_progress``/``testing``/``done`` from config)."""
    target = sc.status(status)
    key = need_key(draft, sc)
    jira = sc.services.jira
    need(jira)
    values = values if values is not None else move_values(sc, draft, status, fields)
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


def plan_followups(sc: StepContext, draft: Draft, issue_type: str = "Task") -> list[str]:
    need(sc.services.jira)
    hotfix_key, _todo, issues = followup_issues(draft, sc.rctx)
    return sc.services.jira.create_followups(hotfix_key, issues, issue_type=issue_type, dry_run=True)


def followups(sc: StepContext, draft: Draft, on_created: Callable[[Outcome], None],
              issue_type: str = "Task") -> list[Outcome]:
    """§8.2: a linked ticket per follow-up without a key; ``on_created`` stores each at once.

    ``draft`` may be a copy: each outcome finds its row by position among the draft's
    follow-ups, which the caller's draft shares.
    """
    need_key(draft, sc)
    jira = sc.services.jira
    need(jira)
    outcomes: list[Outcome] = []

    hotfix_key, todo, issues = followup_issues(draft, sc.rctx)

    def created(position: int, ref: Any) -> None:
        index = todo[position]
        summary = draft.followups[index].summary.strip()

        def apply(d: Draft) -> None:
            if index < len(d.followups):
                d.followups[index].key, d.followups[index].url = ref.key, ref.url
            d.add_event(sc.event("followup", key=ref.key, summary=summary), source="auto")

        outcome = Outcome(apply, f"{ref.key} {ref.url}  {summary}" + ("  (reused)" if ref.reused else ""), ref)
        outcomes.append(outcome)
        on_created(outcome)

    jira.create_followups(hotfix_key, issues, issue_type=issue_type, on_created=created)
    return outcomes


# -- git ---------------------------------------------------------------------------------------


def plan_git_branch(sc: StepContext, draft: Draft, switch: bool = False) -> list[str]:
    git = sc.services.git
    name = branch_of(sc, draft)
    return git.switch_to_existing(name, dry_run=True) if switch else git.create_branch(name, dry_run=True)


def git_branch(sc: StepContext, draft: Draft, switch: bool = False) -> Outcome:
    """§3.2: update main (fast-forward only) and create hotfix/KEY-slug, or switch to it."""
    need_key(draft, sc)
    check(sc, draft, "branch")
    name = owned_branch(sc, draft)
    git = sc.services.git
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


def commit_message(sc: StepContext, draft: Draft) -> str:
    from ..render import render

    return render(draft, "commit", sc.rctx)


def plan_git_commit(sc: StepContext, draft: Draft) -> list[str]:
    branch = owned_branch(sc, draft)
    return sc.services.git.commit(commit_message(sc, draft), branch=branch, dry_run=True)


def git_commit(sc: StepContext, draft: Draft) -> Outcome:
    """§4.2: commit what is staged with the composed message, on the draft's own branch only."""
    from ..render.artifacts import commit_subject

    need_key(draft, sc)
    refuse_placeholders(sc, draft, "commit", "the commit message")
    check(sc, draft, "commit")
    branch = owned_branch(sc, draft)
    sha = sc.services.git.commit(commit_message(sc, draft), branch=branch)
    subject = commit_subject(draft, sc.rctx)

    def apply(d: Draft) -> None:
        d.commit.sha = sha
        d.add_event(sc.event("committed", sha=sha[:7], subject=subject), source="auto")

    return Outcome(apply, f"{sha}  {subject}", sha)


def plan_git_push(sc: StepContext, draft: Draft) -> list[str]:
    return sc.services.git.push(owned_branch(sc, draft), dry_run=True)


def git_push(sc: StepContext, draft: Draft) -> Outcome:
    """§4.4: push the hotfix branch with its upstream (the draft's own branch only)."""
    branch = owned_branch(sc, draft)
    # What is pushed was committed with the draft's message: not while it has a slot.
    refuse_placeholders(sc, draft, "commit", "the pushed commit's message")
    sha = sc.services.git.push(branch)

    def apply(d: Draft) -> None:
        d.commit.pushed_at = now()
        d.commit.sha = d.commit.sha or sha
        d.add_event(sc.event("pushed", branch=branch, sha=sha[:7]), source="auto")

    return Outcome(apply, f"{branch} {sha}", sha)


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


def merged_pr_head(sc: StepContext, draft: Draft, branch: str) -> str:
    """The head commit of the draft's PR when GitHub says, now, that it is merged; else "".

    Asked at the moment of clean-up (never read from ``draft.merge.merged_at``), and only
    believed for a PR whose head is this branch.
    """
    github = sc.services.github
    number = draft.pr.number
    if not number or not github.configured:
        return ""
    pr = github.pull(number)
    try:
        merged, head_ref, head_sha = bool(pr.merged), str(pr.head.ref), str(pr.head.sha or "")
    except Exception as exc:  # noqa: BLE001 - a malformed answer is no proof of a merge
        raise ServiceError("github", f"could not read pull request #{number}: {exc}", server=github.api,
                           kind=REFUSED, hint="check [github] repo and the draft's PR number") from None
    return head_sha if merged and head_ref == branch else ""


def plan_git_cleanup(sc: StepContext, draft: Draft, confirm: str = "") -> list[str]:
    branch = owned_branch(sc, draft)
    forced = cleanup_confirmed(draft, confirm)
    github = sc.services.github
    lines = []
    merged_head = ""
    if not forced and draft.pr.number and github.configured:
        lines.append(f"GET {github.api}/repos/{github.cfg.repo}/pulls/{draft.pr.number}"
                     "  (merged? its head commit)")
        merged_head = "<PR head, if merged>"
    return lines + sc.services.git.cleanup(branch, merged_head=merged_head, force=forced, dry_run=True)


def git_cleanup(sc: StepContext, draft: Draft, confirm: str = "") -> Outcome:
    """§7.2: delete the draft's own branch locally and on the remote, update main.

    Only when the merge is a fact checked now (GitHub says the PR is merged, or the
    branch is contained in the fetched remote main), or forced with the Jira key typed.
    """
    branch = owned_branch(sc, draft)
    forced = cleanup_confirmed(draft, confirm)
    git = sc.services.git
    merged_head = "" if forced else merged_pr_head(sc, draft, branch)
    result = git.cleanup(branch, merged_head=merged_head, force=forced)

    def apply(d: Draft) -> None:
        stamp = now()
        d.merge.branch_deleted_at = d.merge.branch_deleted_at or stamp
        d.merge.main_updated_at = stamp
        d.add_event(sc.event("cleanup", main=git.main, sha=result.main_sha[:7]), source="auto")

    done = [w for w, yes in (("local branch deleted", result.local_deleted),
                             ("remote branch deleted", result.remote_deleted)) if yes]
    return Outcome(apply, f"{git.main} {result.main_sha}" + (f"  ({', '.join(done)})" if done else ""), result)


# -- GitHub ------------------------------------------------------------------------------------


def pr_texts(sc: StepContext, draft: Draft) -> tuple[str, str]:
    from ..render import render

    return render(draft, "pr-title", sc.rctx).strip(), render(draft, "pr-body", sc.rctx)


def reviewers_of(sc: StepContext, draft: Draft) -> list[str]:
    return draft.merge.reviewers or list(sc.config.github.reviewers)


def plan_pr_create(sc: StepContext, draft: Draft, jira_comment: bool = True, slack: bool = True) -> list[str]:
    github = sc.services.github
    need(github)
    key = draft.backlog.jira_key.strip() or "<KEY>"
    title, body = pr_texts(sc, draft)
    lines = github.open_pr(branch_of(sc, draft), title, body, reviewers=reviewers_of(sc, draft), dry_run=True)
    jira = sc.services.jira
    if jira.configured and jira_comment:
        lines += jira.comment(key, sc.event("pr_comment", title=title, url="<PR URL>"), dry_run=True)
    if sc.webhook and slack:
        from ..services.slack import post_slack

        lines += post_slack(sc.webhook, sc.event("slack_text", title=title, url="<PR URL>"), dry_run=True) or []
    return lines


def pr_create(sc: StepContext, draft: Draft, on_progress: Callable[[Outcome], None],
              jira_comment: bool = True, slack: bool = True) -> Outcome:
    """§6: open (or reuse) the PR, label it, request reviews; then tell Jira and Slack.

    ``on_progress`` receives, as each happens: the PR number (before labels and
    reviewers), the comment on the ticket, the Slack message. The PR exists either way,
    so a failure of the announcements is a warning in the returned outcome.
    """
    key = need_key(draft, sc)
    refuse_placeholders(sc, draft, "pr", "the pull request")
    check(sc, draft, "pr")
    github = sc.services.github
    need(github)
    head = branch_of(sc, draft)
    title, body = pr_texts(sc, draft)
    first_time = not draft.pr.url.strip()

    def opened(ref: Any) -> None:
        def apply(d: Draft) -> None:
            d.pr.number, d.pr.url = ref.number, ref.url
            d.pr.opened_at = d.pr.opened_at or now()

        on_progress(Outcome(apply, f"#{ref.number} {ref.url}", ref))

    ref = github.open_pr(head, title, body, reviewers=reviewers_of(sc, draft), on_opened=opened)
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
    on_progress(main)
    if first_time:
        main.warnings = announce(sc, key, title, ref.url, on_progress, jira_comment=jira_comment, slack=slack)
    return Outcome(_nothing, main.result, ref, main.warnings)


def announce(sc: StepContext, key: str, title: str, url: str, on_done: Callable[[Outcome], None], *,
             jira_comment: bool = True, slack: bool = True) -> list[str]:
    """Best effort: the PR link on the ticket, the review request on Slack. Returns warnings."""
    warnings: list[str] = []
    jira = sc.services.jira
    if jira.configured and jira_comment:
        try:
            jira.comment(key, sc.event("pr_comment", title=title, url=url))
        except ServiceError as exc:
            warnings.append(f"PR link not commented on {key}: {exc}")
        else:
            on_done(Outcome(lambda d: d.add_event(sc.event("jira_commented", key=key), source="auto"),
                            f"commented on {key}"))
    webhook = sc.webhook
    if webhook and slack:
        from ..services.slack import post_slack

        try:
            post_slack(webhook, sc.event("slack_text", title=title, url=url),
                       env_name=sc.config.github.slack_webhook_env)
        except ServiceError as exc:
            warnings.append(f"review request not posted: {exc}")
        else:
            on_done(Outcome(lambda d: d.add_event(sc.event("slack"), source="auto"), "posted to Slack"))
    return warnings


def plan_pr_status(sc: StepContext, draft: Draft) -> list[str]:
    github = sc.services.github
    need(github)
    number = draft.pr.number or "<number>"
    return [f"GET {github.api}/repos/{github.cfg.repo}/pulls/{number}",
            f"GET {github.api}/repos/{github.cfg.repo}/pulls/{number}/reviews"]


def pr_status(sc: StepContext, draft: Draft) -> Any:
    """§7.1: the review state and the minutes against the one-hour target."""
    number = need_pr(draft)
    github = sc.services.github
    need(github)
    return github.review_status(number, requested_at=draft.merge.review_requested_at)


def merge_method(sc: StepContext, method: str | None = None) -> str:
    return method or sc.config.github.merge_method


def plan_pr_merge(sc: StepContext, draft: Draft, confirm: str = "", method: str | None = None,
                  delete_branch: bool = True) -> list[str]:
    github = sc.services.github
    need(github)
    number = draft.pr.number or 0
    return ([f"GET {github.api}/repos/{github.cfg.repo}/pulls/{number}/reviews  (must be approved"
             + (", or self-merge confirmed)" if not confirm else "; self-merge confirmed)")]
            + github.merge(number, method=merge_method(sc, method), delete_branch=delete_branch, dry_run=True))


def pr_merge(sc: StepContext, draft: Draft, confirm: str = "", method: str | None = None,
             delete_branch: bool = True) -> Outcome:
    """§7.1: merge when approved; without approval only with the Jira key typed (self-merge)."""
    number = need_pr(draft)
    key = draft.backlog.jira_key.strip()
    github = sc.services.github
    need(github)
    method = merge_method(sc, method)
    confirm = confirm.strip()
    if confirm and confirm != key:
        raise StepError(f"--self-merge needs the draft's Jira key typed exactly ({key or 'no key yet'}), "
                        f"not {confirm!r}", Ending.REFUSED)
    status = github.review_status(number, requested_at=draft.merge.review_requested_at)
    self_merge = False
    if not status.merged and not status.approved:
        if not confirm:
            raise ServiceError(
                "github", f"#{number} is not approved yet ({status.state})", server=github.api, kind=REFUSED,
                hint=f"wait for a review, or self-merge (§7.1, reviewed afterwards): --self-merge {key or 'KEY'}",
            )
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
