"""`hotfix jira|git|pr ...`: each remote step of the wizard as a command, for scripts and plain terminals.

Every command loads a draft, performs one step through a service, stores what came
back (key, URL, SHA, PR number, times) in the draft with a timeline event, and saves.
The result is saved the moment it exists: a PR number before its reviewers are
requested, each follow-up key before the next ticket. If another session saved the
draft meanwhile, the result is applied to the fresh copy instead of being dropped.

``--dry-run`` prints every request or git command the step would make, and makes none
(no token needed, nothing saved).

Exit codes match the rest of the CLI: 0 done, 1 refused (by a remote, by git, or by a
check such as "not approved yet"), 2 usage, configuration or I/O (including an
unreachable server). Errors are one line on stderr naming the server and what to check.

``cli.py`` wires :func:`add_parsers` and :func:`dispatch`; heavy libraries are only
imported by the services when a request is actually made.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .services import Services  # re-exported: the CLI and the App share it
from .services.errors import CONFIG, REFUSED, ServiceError, redact

if TYPE_CHECKING:
    from .config import Config
    from .model import Draft
    from .services.git import GitService
    from .services.github import GithubService
    from .services.jira import JiraService
    from .store import DraftStore, LoadedDraft

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

STATUS_ALIASES = ("in_progress", "testing", "done")

# Timeline texts (Korean first: the RCA is written in the seed's language by default).
EVENTS: dict[str, tuple[str, str]] = {
    "jira_created": ("JIRA {key} 백로그 생성", "Jira {key} created"),
    "jira_reused": ("JIRA {key} 백로그 확인 (이전 시도에서 이미 생성됨)", "Jira {key} found (an earlier attempt created it)"),
    "jira_moved": ("JIRA {key} 상태 변경 → {status}", "Jira {key} moved to {status}"),
    "followup": ("Follow-up 백로그 {key} 생성: {summary}", "Follow-up {key} created: {summary}"),
    "branch_created": ("브랜치 {name} 생성 ({main} {sha})", "Branch {name} created from {main} {sha}"),
    "branch_switched": ("기존 브랜치 {name}로 전환", "Switched to the existing branch {name}"),
    "committed": ("커밋 {sha}: {subject}", "Committed {sha}: {subject}"),
    "pushed": ("{branch} 푸시 ({sha})", "Pushed {branch} ({sha})"),
    "cleanup": ("hotfix 브랜치 정리 및 {main} 최신화 ({sha})", "Cleaned up the hotfix branch and updated {main} ({sha})"),
    "pr_opened": ("PR #{number} 생성{reviewers}", "PR #{number} opened{reviewers}"),
    "pr_reused": ("PR #{number} 확인 (이미 열려 있음){reviewers}", "PR #{number} found already open{reviewers}"),
    "reviewers": (" (리뷰 요청: {names})", " (review requested from {names})"),
    "jira_commented": ("JIRA {key}에 PR 링크 코멘트", "Commented the PR link on {key}"),
    "slack": ("Slack으로 리뷰 요청 알림", "Review request posted to Slack"),
    "merged": ("PR #{number} 머지 ({method}, {sha})", "PR #{number} merged ({method}, {sha})"),
    "self_merged": (
        "PR #{number} Self-merge ({method}, {sha}) — 사후 리뷰 필요",
        "PR #{number} self-merged ({method}, {sha}) — to be reviewed afterwards",
    ),
    "pr_comment": ("PR 생성: [{title}|{url}]", "PR opened: [{title}|{url}]"),
    "slack_text": ("🚨 Hotfix 리뷰 요청: {title} — {url} (최대 1시간 내 리뷰 부탁드립니다)",
                   "🚨 Hotfix review needed: {title} — {url} (target: within 1 hour)"),
}


class UsageError(Exception):
    """A problem with what the user asked for (exit 2), or a refused check (``code=1``)."""

    def __init__(self, message: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.code = code


# -- argument parsing ---------------------------------------------------------------------


def _draft_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("draft", metavar="DRAFT", help="a draft path, id or Jira key")
    p.add_argument("--dry-run", action="store_true",
                   help="print every request or git command this step would make, without making it")


def add_parsers(subparsers: Any) -> None:
    """Add the ``jira``, ``git`` and ``pr`` command groups to the main parser's subparsers."""
    p_jira = subparsers.add_parser("jira", help="Jira steps: create the ticket, move it, file follow-ups")
    jira = p_jira.add_subparsers(dest="jira_action", metavar="ACTION", required=True)
    p = jira.add_parser("create", help="§2: create the hotfix Bug (reuses one an earlier attempt made)")
    _draft_arg(p)
    p = jira.add_parser("move", help="move the ticket to a status (by the status's name, not the transition's)")
    _draft_arg(p)
    p.add_argument("status", metavar="STATUS",
                   help="in_progress, testing or done ([jira.statuses]), or a literal status name")
    p.add_argument("--field", action="append", default=[], metavar="NAME=VALUE",
                   help="a value for a field the transition screen requires (repeatable)")
    p = jira.add_parser("followups", help="§8.2: create the follow-up tickets, linked to the hotfix ticket")
    _draft_arg(p)
    p.add_argument("--issue-type", default="Task", help="issue type of the follow-ups (default: Task)")

    p_git = subparsers.add_parser("git", help="git steps: branch, commit, push, clean up")
    git = p_git.add_subparsers(dest="git_action", metavar="ACTION", required=True)
    p = git.add_parser("branch", help="§3.2: update main (fast-forward only) and create the hotfix branch")
    _draft_arg(p)
    p.add_argument("--switch", action="store_true", help="switch to the branch when it already exists")
    p = git.add_parser("commit", help="§4.2: commit what is staged with the draft's message")
    _draft_arg(p)
    p = git.add_parser("push", help="§4.4: push the hotfix branch and set its upstream")
    _draft_arg(p)
    p = git.add_parser("cleanup", help="§7.2: delete the branch locally and on the remote, update main")
    _draft_arg(p)
    p.add_argument("--force", action="store_true",
                   help="delete the local branch even if main lacks its commits (squash/rebase merge)")

    p_pr = subparsers.add_parser("pr", help="GitHub steps: open the PR, review state, merge")
    pr = p_pr.add_subparsers(dest="pr_action", metavar="ACTION", required=True)
    p = pr.add_parser("create", help="§6: open the PR (reuses an open one), label it, request reviews")
    _draft_arg(p)
    p.add_argument("--no-jira-comment", action="store_true", help="do not comment the PR link on the ticket")
    p.add_argument("--no-slack", action="store_true", help="do not post to the Slack webhook")
    p = pr.add_parser("status", help="§7.1: review state and minutes against the 1-hour target")
    _draft_arg(p)
    p = pr.add_parser("merge", help="§7.1: merge the PR and delete its branch on GitHub")
    _draft_arg(p)
    p.add_argument("--self-merge", metavar="KEY", default="",
                   help="merge without an approval (§7.1 사후 리뷰): type the draft's Jira key to confirm")
    p.add_argument("--method", choices=["merge", "squash", "rebase"], default=None,
                   help="merge method (default: [github] merge_method)")
    p.add_argument("--keep-branch", action="store_true", help="do not delete the branch on GitHub")


# -- running ------------------------------------------------------------------------------


@dataclass
class _Run:
    args: argparse.Namespace
    config: Config
    store: DraftStore
    services: Services

    @property
    def lang(self) -> int:  # index into EVENTS' (ko, en) pairs
        return 1 if self.config.ui.language == "en" else 0

    def event(self, event_name: str, /, **values: Any) -> str:
        return EVENTS[event_name][self.lang].format(**values)

    @property
    def rctx(self):
        from .render import RenderContext

        return RenderContext.from_config(self.config)

    def load(self) -> LoadedDraft:
        return self.store.load(self.store.resolve(self.args.draft))

    def record(self, loaded: LoadedDraft, apply: Callable[[Draft], None], result: str) -> None:
        """Apply ``apply`` to the draft and save; on a conflict, to the fresh copy.

        ``result`` (what the remote gave back) is printed in the error if nothing can be
        saved, so it can be typed in by hand and nothing is lost.
        """
        from .store import DraftConflictError, DraftError

        apply(loaded.draft)
        try:
            try:
                self.store.save(loaded)
            except DraftConflictError:
                fresh = self.store.load(loaded.path)
                apply(fresh.draft)
                self.store.save(fresh)
                loaded.draft, loaded.doc, loaded.fingerprint = fresh.draft, fresh.doc, fresh.fingerprint
        except (DraftError, OSError) as exc:
            message = getattr(exc, "strerror", None) or str(exc)
            raise UsageError(f"{message} — the step itself succeeded: {result}; type it into the draft") from None


def dispatch(args: argparse.Namespace, config: Config, store: DraftStore, services: Services | None = None) -> int:
    """Run one ``jira``/``git``/``pr`` command; returns the exit code (0, 1 or 2)."""
    from .store import DraftError

    action = getattr(args, f"{args.command}_action", None)
    handler = HANDLERS.get((args.command, action))
    if handler is None:
        _error(f"unknown command: {args.command} {action or ''}".strip())
        return EXIT_USAGE
    run = _Run(args, config, store, services or Services.from_config(config))
    try:
        return handler(run)
    except ServiceError as exc:
        _error(str(exc))
        return exc.exit_code
    except UsageError as exc:
        _error(str(exc))
        return exc.code
    except DraftError as exc:
        _error(str(exc))
        return EXIT_USAGE


def _error(message: str) -> None:
    print(f"hotfix: {redact(message)}", file=sys.stderr)


def _warn(message: str) -> None:
    print(f"hotfix: warning: {redact(message)}", file=sys.stderr)


def _out(lines: list[str] | str) -> int:
    for line in [lines] if isinstance(lines, str) else lines:
        print(line)
    return EXIT_OK


def _now() -> str:
    from .model import now_iso

    return now_iso()


def _need_key(draft: Draft) -> str:
    key = draft.backlog.jira_key.strip()
    if not key:
        raise UsageError("the draft has no Jira key yet: run `hotfix jira create DRAFT` or type the key",
                         EXIT_FAILED)
    return key


def _need(service: JiraService | GithubService) -> None:
    if not service.configured:
        which = "[jira] url" if service.system == "jira" else "[github] repo"
        raise ServiceError(service.system, f"not configured ({which} is empty)", kind=CONFIG,
                           hint="set it in the config, or do this step by hand and type the result back")


def _check(run: _Run, draft: Draft, phase: str) -> None:
    """Refuse to send text that still has template placeholders or breaks §-rules."""
    from .workflow.validation import ERROR, validate

    errors = [f for f in validate(draft, run.rctx, [phase]) if f.level == ERROR]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more; see `hotfix validate`)" if len(errors) > 1 else ""
        raise UsageError(f"{first.field}: {first.message}{more}", EXIT_FAILED)


def _branch(run: _Run, draft: Draft) -> str:
    from .render.artifacts import branch_name

    return draft.branch.name.strip() or branch_name(draft, run.rctx)


# -- jira ------------------------------------------------------------------------------------


def jira_create(run: _Run) -> int:
    loaded = run.load()
    draft = loaded.draft
    if draft.backlog.jira_key.strip():
        return _out(f"{draft.backlog.jira_key} {draft.backlog.jira_url}  (already in the draft; nothing to do)")
    jira = run.services.jira
    _need(jira)
    if run.args.dry_run:
        return _out(jira.create_issue(draft, dry_run=True))
    ref = jira.create_issue(draft)

    def apply(d: Draft) -> None:
        d.backlog.jira_key, d.backlog.jira_url = ref.key, ref.url
        d.add_event(run.event("jira_reused" if ref.reused else "jira_created", key=ref.key), source="auto")

    run.record(loaded, apply, f"{ref.key} {ref.url}")
    return _out(f"{ref.key} {ref.url}" + ("  (reused: an earlier attempt created it)" if ref.reused else ""))


def _fields(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--field must look like NAME=VALUE, not {pair!r}")
        out[name.strip()] = value.strip()
    return out


def jira_move(run: _Run) -> int:
    loaded = run.load()
    draft = loaded.draft
    status = run.args.status
    if status in STATUS_ALIASES:
        status = getattr(run.config.jira.statuses, status)
    key = _need_key(draft)
    jira = run.services.jira
    _need(jira)
    fields = _fields(run.args.field)
    if run.args.dry_run:
        return _out(jira.move(key, status, fields=fields, dry_run=True))
    result = jira.move(key, status, fields=fields)
    if not result.changed:
        return _out(f"{key} is already in '{result.status}'")

    def apply(d: Draft) -> None:
        if _same_status(result.status, run.config.jira.statuses.done):
            d.merge.jira_done_at = _now()
        d.add_event(run.event("jira_moved", key=key, status=result.status), source="auto")

    run.record(loaded, apply, f"{key} is now in '{result.status}'")
    filled = "".join(f", {k}={v}" for k, v in result.filled.items())
    return _out(f"{key} → {result.status} (via '{result.transition}'{filled})")


def _same_status(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def jira_followups(run: _Run) -> int:
    loaded = run.load()
    draft = loaded.draft
    _need_key(draft)
    jira = run.services.jira
    _need(jira)
    todo = [i for i, item in enumerate(draft.followups) if not item.key.strip() and item.summary.strip()]
    if not todo:
        return _out("no follow-ups without a key; nothing to do")
    if run.args.dry_run:
        return _out(jira.create_followups(draft, issue_type=run.args.issue_type, dry_run=True))

    def saved(item: Any, ref: Any) -> None:
        index = next(i for i, other in enumerate(loaded.draft.followups) if other is item)

        def apply(d: Draft) -> None:
            if index < len(d.followups):
                d.followups[index].key, d.followups[index].url = ref.key, ref.url
            d.add_event(run.event("followup", key=ref.key, summary=item.summary.strip()), source="auto")

        run.record(loaded, apply, f"{ref.key} {ref.url}")
        print(f"{ref.key} {ref.url}  {item.summary.strip()}" + ("  (reused)" if ref.reused else ""))

    jira.create_followups(draft, issue_type=run.args.issue_type, on_created=saved)
    return EXIT_OK


# -- git -------------------------------------------------------------------------------------


def git_branch(run: _Run) -> int:
    loaded = run.load()
    draft = loaded.draft
    _need_key(draft)
    _check(run, draft, "branch")
    name = _branch(run, draft)
    git = run.services.git
    if run.args.switch:
        if run.args.dry_run:
            return _out(git.switch_to_existing(name, dry_run=True))
        base = git.switch_to_existing(name)
        event = run.event("branch_switched", name=name)
    else:
        if run.args.dry_run:
            return _out(git.create_branch(name, dry_run=True))
        base = git.create_branch(name)
        event = run.event("branch_created", name=name, main=git.main, sha=base[:7])

    def apply(d: Draft) -> None:
        d.branch.name, d.branch.base = name, base
        d.branch.created_at = d.branch.created_at or _now()
        d.add_event(event, source="auto")

    run.record(loaded, apply, f"branch {name} from {base}")
    return _out(f"{name} {base}")


def git_commit(run: _Run) -> int:
    from .render import render
    from .render.artifacts import commit_subject

    loaded = run.load()
    draft = loaded.draft
    _need_key(draft)
    _check(run, draft, "commit")
    message = render(draft, "commit", run.rctx)
    git = run.services.git
    if run.args.dry_run:
        return _out(git.commit(message, dry_run=True))
    stat = git.staged_diff_stat()
    if stat:
        print(stat)
        print()
    sha = git.commit(message)
    subject = commit_subject(draft, run.rctx)

    def apply(d: Draft) -> None:
        d.commit.sha = sha
        d.add_event(run.event("committed", sha=sha[:7], subject=subject), source="auto")

    run.record(loaded, apply, f"commit {sha}")
    return _out(f"{sha}  {subject}")


def git_push(run: _Run) -> int:
    loaded = run.load()
    draft = loaded.draft
    branch = _branch(run, draft)
    git = run.services.git
    if run.args.dry_run:
        return _out(git.push(branch, dry_run=True))
    sha = git.push(branch)

    def apply(d: Draft) -> None:
        d.commit.pushed_at = _now()
        d.commit.sha = d.commit.sha or sha
        d.add_event(run.event("pushed", branch=branch, sha=sha[:7]), source="auto")

    run.record(loaded, apply, f"pushed {branch} at {sha}")
    return _out(f"{branch} {sha}")


def git_cleanup(run: _Run) -> int:
    loaded = run.load()
    draft = loaded.draft
    branch = _branch(run, draft)
    git = run.services.git
    # After GitHub reported the merge, a squash/rebase merge leaves the branch "unmerged"
    # in git's eyes; the recorded merge is the confirmation -D needs.
    force = run.args.force or bool(draft.merge.merged_at)
    if run.args.dry_run:
        return _out(git.cleanup(branch, force=force, dry_run=True))
    result = git.cleanup(branch, force=force)

    def apply(d: Draft) -> None:
        now = _now()
        d.merge.branch_deleted_at = d.merge.branch_deleted_at or now
        d.merge.main_updated_at = now
        d.add_event(run.event("cleanup", main=git.main, sha=result.main_sha[:7]), source="auto")

    run.record(loaded, apply, f"{git.main} at {result.main_sha}")
    done = [w for w, yes in (("local branch deleted", result.local_deleted),
                             ("remote branch deleted", result.remote_deleted)) if yes]
    return _out(f"{git.main} {result.main_sha}" + (f"  ({', '.join(done)})" if done else ""))


# -- pr ---------------------------------------------------------------------------------------


def pr_create(run: _Run) -> int:
    from .render import render

    loaded = run.load()
    draft = loaded.draft
    key = _need_key(draft)
    _check(run, draft, "pr")
    github = run.services.github
    _need(github)
    head = _branch(run, draft)
    title = render(draft, "pr-title", run.rctx).strip()
    body = render(draft, "pr-body", run.rctx)
    reviewers = draft.merge.reviewers or list(run.config.github.reviewers)
    webhook_env = run.config.github.slack_webhook_env
    webhook = os.environ.get(webhook_env, "").strip() if webhook_env else ""
    if run.args.dry_run:
        lines = github.open_pr(head, title, body, reviewers=reviewers, dry_run=True)
        jira = run.services.jira
        if jira.configured and not run.args.no_jira_comment:
            lines += jira.comment(key, run.event("pr_comment", title=title, url="<PR URL>"), dry_run=True)
        if webhook and not run.args.no_slack:
            from .services.github import post_slack

            lines += post_slack(webhook, run.event("slack_text", title=title, url="<PR URL>"), dry_run=True) or []
        return _out(lines)
    first_time = not draft.pr.url.strip()

    def opened(ref: Any) -> None:
        def apply(d: Draft) -> None:
            d.pr.number, d.pr.url = ref.number, ref.url

        run.record(loaded, apply, f"PR #{ref.number} {ref.url}")

    ref = github.open_pr(head, title, body, reviewers=reviewers, on_opened=opened)

    def apply(d: Draft) -> None:
        d.pr.number, d.pr.url = ref.number, ref.url
        if ref.reviewers:
            d.merge.reviewers = list(dict.fromkeys([*d.merge.reviewers, *ref.reviewers]))
            d.merge.review_requested_at = d.merge.review_requested_at or ref.requested_at
        names = run.event("reviewers", names=", ".join(ref.reviewers)) if ref.reviewers else ""
        d.add_event(run.event("pr_reused" if ref.reused else "pr_opened", number=ref.number, reviewers=names),
                    source="auto")

    run.record(loaded, apply, f"PR #{ref.number} {ref.url}")
    print(f"#{ref.number} {ref.url}" + ("  (reused: it was already open)" if ref.reused else ""))
    if first_time:
        _announce(run, loaded, key, title, ref.url, webhook)
    return EXIT_OK


def _announce(run: _Run, loaded: LoadedDraft, key: str, title: str, url: str, webhook: str) -> None:
    """Best effort: the PR exists either way, so a failure here is a warning, not an error."""
    jira = run.services.jira
    if jira.configured and not run.args.no_jira_comment:
        try:
            jira.comment(key, run.event("pr_comment", title=title, url=url))
        except ServiceError as exc:
            _warn(f"PR link not commented on {key}: {exc}")
        else:
            run.record(loaded, lambda d: d.add_event(run.event("jira_commented", key=key), source="auto"),
                       f"commented on {key}")
    if webhook and not run.args.no_slack:
        from .services.github import post_slack

        try:
            post_slack(webhook, run.event("slack_text", title=title, url=url),
                       env_name=run.config.github.slack_webhook_env)
        except ServiceError as exc:
            _warn(f"review request not posted: {exc}")
        else:
            run.record(loaded, lambda d: d.add_event(run.event("slack"), source="auto"), "posted to Slack")


def _need_pr(draft: Draft) -> int:
    if not draft.pr.number:
        raise UsageError("the draft has no PR yet: run `hotfix pr create DRAFT` or type the PR URL", EXIT_FAILED)
    return draft.pr.number


def pr_status(run: _Run) -> int:
    from .services.github import REVIEW_TARGET_MINUTES

    draft = run.load().draft
    number = _need_pr(draft)
    github = run.services.github
    _need(github)
    if run.args.dry_run:
        return _out([f"GET {github.api}/repos/{github.cfg.repo}/pulls/{number}",
                     f"GET {github.api}/repos/{github.cfg.repo}/pulls/{number}/reviews"])
    status = github.review_status(number, requested_at=draft.merge.review_requested_at)
    state = "merged" if status.merged else status.state
    parts = [f"#{number} {state}"]
    if status.reviews:
        parts.append("reviews: " + ", ".join(f"{k} {v.lower()}" for k, v in status.reviews.items()))
    if status.pending:
        parts.append("waiting for: " + ", ".join(status.pending))
    if status.minutes_waiting is not None and not status.merged:
        left = status.minutes_left or 0
        due = f"{left} min left" if left >= 0 else f"{-left} min over"
        parts.append(f"{status.minutes_waiting} min since review was requested ({due} of {REVIEW_TARGET_MINUTES})")
    return _out("; ".join(parts))


def pr_merge(run: _Run) -> int:
    loaded = run.load()
    draft = loaded.draft
    number = _need_pr(draft)
    key = draft.backlog.jira_key.strip()
    github = run.services.github
    _need(github)
    method = run.args.method or run.config.github.merge_method
    confirm = run.args.self_merge.strip()
    if confirm and confirm != key:
        raise UsageError(f"--self-merge needs the draft's Jira key typed exactly ({key or 'no key yet'}), "
                         f"not {confirm!r}", EXIT_FAILED)
    if run.args.dry_run:
        return _out([f"GET {github.api}/repos/{github.cfg.repo}/pulls/{number}/reviews  (must be approved"
                     + (", or self-merge confirmed)" if not confirm else "; self-merge confirmed)")]
                    + github.merge(number, method=method, delete_branch=not run.args.keep_branch, dry_run=True))
    status = github.review_status(number, requested_at=draft.merge.review_requested_at)
    self_merge = False
    if not status.merged and not status.approved:
        if not confirm:
            raise ServiceError(
                "github", f"#{number} is not approved yet ({status.state})", server=github.api, kind=REFUSED,
                hint=f"wait for a review, or self-merge (§7.1, reviewed afterwards): --self-merge {key or 'KEY'}",
            )
        self_merge = True
    result = github.merge(number, method=method, delete_branch=not run.args.keep_branch)

    def apply(d: Draft) -> None:
        known = bool(d.merge.merged_at)  # a retry after a lost answer: recorded once
        d.merge.merged_at = d.merge.merged_at or result.merged_at
        d.merge.merge_sha = result.sha
        d.merge.self_merge = d.merge.self_merge or self_merge
        if result.branch_deleted:
            d.merge.branch_deleted_at = d.merge.branch_deleted_at or _now()
        if not known:
            name = "self_merged" if self_merge else "merged"
            d.add_event(run.event(name, number=number, method=result.method, sha=result.sha[:7]), source="auto")

    run.record(loaded, apply, f"PR #{number} merged as {result.sha}")
    note = "  (it was already merged)" if result.already else ("  (self-merge)" if self_merge else "")
    return _out(f"{result.sha}{note}")


HANDLERS: dict[tuple[str, str | None], Callable[[_Run], int]] = {
    ("jira", "create"): jira_create,
    ("jira", "move"): jira_move,
    ("jira", "followups"): jira_followups,
    ("git", "branch"): git_branch,
    ("git", "commit"): git_commit,
    ("git", "push"): git_push,
    ("git", "cleanup"): git_cleanup,
    ("pr", "create"): pr_create,
    ("pr", "status"): pr_status,
    ("pr", "merge"): pr_merge,
}


def main(argv: list[str] | None = None) -> int:
    """Run these commands on their own (as cli.py will once it wires them in)."""
    from .config import ConfigError, load_config
    from .paths import drafts_dir
    from .store import DraftStore

    parser = argparse.ArgumentParser(prog="hotfix")
    parser.add_argument("--config", metavar="PATH")
    sub = parser.add_subparsers(dest="command", required=True)
    add_parsers(sub)
    args = parser.parse_args(argv)
    try:
        if args.config:
            config = load_config(Path(args.config).expanduser(), required=True)
        else:
            config = load_config()
    except ConfigError as exc:
        _error(str(exc))
        return EXIT_USAGE
    return dispatch(args, config, DraftStore(drafts_dir(config)))
