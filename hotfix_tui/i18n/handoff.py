"""Catalogue section: the hand-off (``hotfix handoff``, the fetch in ``hotfix open``; issue 13 item 3).

Merged into ``i18n.MESSAGES``; same shape — key: (Korean, English). ``handoff.comment.*``
are the lines of the status comment posted with the attached draft (Jira wiki markup).
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "handoff.comment.title": ("h3. Hotfix 인계: 초안 {file} 첨부", "h3. Hotfix hand-off: draft {file} attached"),
    "handoff.comment.phase": ("*현재 단계*: {phase}", "*Current phase*: {phase}"),
    "handoff.comment.done": ("*완료한 단계*: {phases}", "*Phases done*: {phases}"),
    "handoff.comment.next": ("*다음 할 일*: {phase}", "*Next*: {phase}"),
    "handoff.comment.none": ("없음", "none"),
    "handoff.comment.finished": ("모든 단계 완료", "every phase is done"),
    "handoff.comment.branch": ("*브랜치*: {{{{{branch}}}}}", "*Branch*: {{{{{branch}}}}}"),
    "handoff.comment.pr": ("*PR*: {url}", "*PR*: {url}"),
    "handoff.comment.overrides": ("*우회한 게이트*: {n}건", "*Gates overridden*: {n}"),
    "handoff.comment.by": ("{by}가 {at}에 인계함", "Handed off by {by} at {at}"),
    "handoff.comment.how": (
        "이어받기: 다른 호스트에서 {{{{hotfix open {key}}}}} (초안을 티켓에서 가져옵니다)",
        "To take over: {{{{hotfix open {key}}}}} on another host (fetches the draft from the ticket)",
    ),
    "handoff.no_key": (
        "{path}에 JIRA 키가 없어 인계할 티켓이 없습니다: 먼저 `hotfix jira create {path}`로 티켓을 만들거나 키를 입력하세요",
        "{path} has no Jira key, so there is no ticket to hand it off to: create one with "
        "`hotfix jira create {path}` or type the key first",
    ),
    "handoff.token": (
        "{path}의 {fields}에 설정된 토큰({names})과 같은 값이 있어 첨부하지 않았습니다: 초안에서 토큰을 지우세요",
        "{path} was not attached: {fields} holds the value of a configured token ({names}); "
        "remove the token from the draft",
    ),
    "handoff.done": ("{key}에 {file}을 첨부하고 현황 댓글을 남겼습니다: {url}",
                     "Attached {file} to {key} with a status comment: {url}"),
    "handoff.no_attachment": (
        "{key}에 Hotfix 초안 첨부 파일(hotfix-draft-*.toml)이 없습니다: 원래 호스트에서 `hotfix handoff`를 먼저 실행하세요",
        "{key} has no hotfix draft attachment (hotfix-draft-*.toml): run `hotfix handoff` on the host that has it",
    ),
    "handoff.found": ("{key}의 로컬 초안이 없습니다; 티켓에 초안 {file}이 첨부되어 있습니다 ({size}바이트, {created})",
                      "No local draft for {key}; the ticket has the draft {file} ({size} bytes, attached {created})"),
    "handoff.offer": ("가져와 {folder}에 새 초안으로 저장할까요?", "Fetch it and save it as a new draft in {folder}?"),
    "handoff.confirm": ("가져오려면: {command}", "To fetch it: {command}"),
    "handoff.declined": ("가져오지 않았습니다; 아무것도 쓰지 않았습니다", "Not fetched; nothing was written"),
    "handoff.fetched": ("{key}의 초안을 {path}에 저장했습니다 (첨부 {file})",
                        "Saved {key}'s draft as {path} (from {file})"),
    "handoff.bad": ("{key}의 첨부 {file}은 쓸 수 있는 초안이 아니어서 아무것도 쓰지 않았습니다: {why}",
                    "{key}'s attachment {file} is not a usable draft; nothing was written: {why}"),
    "handoff.bad.size": ("{limit}바이트보다 큽니다", "larger than {limit} bytes"),
    "handoff.bad.utf8": ("UTF-8 텍스트가 아닙니다", "not UTF-8 text"),
    "handoff.bad.control": ("제어 문자 {char}가 들어 있습니다 ({offset}번째 바이트)",
                            "it holds the control character {char} (byte {offset})"),
    "handoff.bad.other_key": ("다른 티켓({other})의 초안입니다", "it is the draft of another ticket ({other})"),
}
