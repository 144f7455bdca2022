"""The app's actions in one registry: the command palette, the help screen and the footer agree.

Each action has a key (as bound), a catalogue label (the footer's word, the palette's name in
Korean and English) and a one-line help. The palette (ctrl+g) lists the actions the current
screen has, each under both languages' names so "복사" and "copy" both find it, then every
phase, then Textual's own commands translated and ranked after the app's. The help screen
lists the same keys with the same words. tests/ui/test_palette_help.py holds the footer's
bindings to this registry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from typing import Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.style import Style

from ..i18n import tr
from ..model import PHASES
from ..workflow.steps import STEPS


@dataclass(frozen=True)
class Action:
    """One app action: ``action_<name>`` on the screen (or the app, ``on="app"``)."""

    name: str
    keys: str  # as bound (Textual's names): "ctrl+n", "f4", "question_mark,f1"
    label: str  # catalogue key: the footer's description, the palette's name
    help: str  # catalogue key: the palette's help column, the help screen's line
    aliases: str = ""  # more words the palette finds it by, both languages
    on: str = "screen"


# Phase screens' actions first (the order the palette and the help list them in), then the
# drafts list's, then the app's own.
ACTIONS: tuple[Action, ...] = (
    Action("next_phase", "ctrl+n", "key.next", "cmd.next", "phase gate 단계 게이트"),
    Action("prev_phase", "ctrl+p", "key.prev", "cmd.prev", "phase 단계"),
    Action("run_step", "f8", "key.run_step", "cmd.run_step", "jira git github remote 원격"),
    Action("run_all", "f8", "key.run_checks", "cmd.run_checks", "check checks terraform kubectl 점검 검사"),
    Action("rerun", "f9", "key.rerun", "cmd.rerun", "check 점검"),
    Action("cancel_run", "f10", "key.cancel_run", "cmd.cancel_run", "stop kill 중지"),
    Action("toggle_log", "f12", "key.log_size", "cmd.log_size", "log 로그"),
    Action("copy", "f4", "key.copy", "cmd.copy", "clipboard osc52 클립보드"),
    Action("export", "f5", "key.export", "cmd.export", "export file 내보내기 파일"),
    Action("save", "ctrl+s", "key.save", "cmd.save", "저장"),
    Action("undo_change", "alt+z", "key.undo_change", "undo.palette_help", "undo 되돌리기 실행 취소"),
    Action("toggle_pane", "f2", "key.pane", "cmd.pane", "preview form 미리보기 입력"),
    Action("show_checklist", "f3", "key.checklist", "cmd.checklist", "§10 checklist 체크리스트"),
    Action("cycle_format", "f6", "key.format", "cmd.format", "markdown wiki 형식"),
    Action("next_artifact", "f7", "key.artifact", "cmd.artifact", "text 문서"),
    Action("note", "ctrl+t", "key.note", "cmd.note", "timeline 타임라인 메모"),
    Action("status_update", "ctrl+o", "key.status_update", "cmd.status_update",
           "status slack team channel 상황 공유 팀 채널 진행"),
    Action("home", "escape", "key.home", "cmd.home", "drafts 초안"),
    Action("new", "n", "key.new", "cmd.new", "draft 초안"),
    Action("open", "enter", "key.open", "cmd.open", "draft 초안"),
    Action("delete", "d,delete", "key.delete", "cmd.delete", "draft 초안"),
    Action("refresh", "r", "key.refresh", "cmd.refresh", ""),
    Action("stats", "s", "key.stats", "cmd.stats", "stats numbers metrics review downtime 통계 지표 리뷰 다운타임"),
    Action("help", "question_mark,f1", "key.help", "cmd.help", "help keys 도움"),
    Action("quit", "ctrl+q", "key.quit", "cmd.quit", "exit 나가기", on="app"),
)
BY_NAME = {a.name: a for a in ACTIONS}

# Where each phase is in the seed (hotfix-workflow.ko.md).
SECTIONS = {"triage": "§1", "backlog": "§2", "branch": "§3", "fix": "§4.1", "commit": "§4.2",
            "verify": "§5", "pr": "§6", "merge": "§7", "post": "§8"}
# What each phase acts on, so "jira" or "terraform" finds the phases that do it.
PHASE_WORDS = {"triage": "hotfix severity 심각도", "backlog": "jira bug 티켓", "branch": "git jira",
               "fix": "terraform check 점검", "commit": "git push jira 푸시", "verify": "kubectl test 테스트",
               "pr": "github review", "merge": "github jira terraform apply monitor 모니터링 배포",
               "post": "rca report jira follow-up 보고서 타임라인 timeline"}

# Textual's own commands (App.get_system_commands), by their English title: name and help keys.
# Its "Quit" is dropped: the app's quit (ctrl+q, which saves first) is the same action.
TEXTUAL = {
    "Theme": ("cmd.theme", "cmd.theme_help"),
    "Keys": ("cmd.keys", "cmd.keys_help"),
    "Maximize": ("cmd.maximize", "cmd.maximize_help"),
    "Minimize": ("cmd.minimize", "cmd.minimize_help"),
    "Screenshot": ("cmd.screenshot", "cmd.screenshot_help"),
}
TEXTUAL_DROPPED = {"Quit"}
SYSTEM_LABELS = {"jira": "Jira", "github": "GitHub", "git": "git"}


def key_text(keys: str) -> str:
    """A binding's keys as the footer and help show them: "question_mark,f1" → "?/F1"."""
    names = {"question_mark": "?", "escape": "esc", "delete": "del"}
    shown = []
    for key in keys.split(","):
        key = names.get(key, key)
        shown.append(key.upper() if key[:1] == "f" and key[1:].isdigit() else key)
    return "/".join(shown)


@dataclass(frozen=True)
class PaletteCommand:
    title: str  # both languages: the configured one first
    help: str
    callback: Callable
    aliases: str = ""  # words it is known by
    more: str = ""  # its help in both languages: a match there ranks lowest
    group: str = "app"  # "app" | "textual" (listed and ranked after the app's)


def both(app, key: str, **fields) -> str:
    """A catalogue entry in both languages, the configured one first: "복사 · Copy"."""
    ko, en = tr(key, "ko", **fields), tr(key, "en", **fields)
    if ko == en:
        return ko
    return f"{en} · {ko}" if app.config.ui.language == "en" else f"{ko} · {en}"


def target(app, screen, action: Action):
    """What runs ``action`` here, or None: the method of the screen (or the app) that both has
    it and binds a key to it, so no key is listed that does nothing on this screen."""
    owners = (app,) if action.on == "app" else (screen, app) if action.name == "undo_change" else (screen,)
    for owner in owners:
        method = getattr(owner, f"action_{action.name}", None)
        if method is not None and action.name in _bound(owner):
            return method
    return None


def _bound(node) -> set[str]:
    """The actions ``node``'s own bindings run ("app.quit" counts as "quit")."""
    return {binding.action.removeprefix("app.") for bindings in node._bindings.key_to_bindings.values()
            for binding in bindings}


def phase_title(app, number: int, phase: str) -> str:
    """A phase in the palette: its number on the phase bar, both names, its seed section."""
    return f"{number} {both(app, 'phase.' + phase)} ({SECTIONS[phase]})"


def available(app, screen) -> list[tuple[Action, Callable]]:
    """The registry's actions the screen (or the app) has, in registry order."""
    found = []
    for action in ACTIONS:
        method = target(app, screen, action)
        if method is not None:
            found.append((action, method))
    return found


def palette_commands(app, screen) -> list[PaletteCommand]:
    """Everything the palette offers on ``screen``: its actions, its remote steps, every phase
    (with a draft open), a reload after a conflict, then Textual's own commands."""
    from textual.app import App

    t = app.t
    out = [PaletteCommand(both(app, a.label), f"{key_text(a.keys)} · {t(a.help)}", method,
                          f"{a.name} {a.aliases}", f"{tr(a.help, 'ko')} {tr(a.help, 'en')}")
           for a, method in available(app, screen)]
    out += _steps(app, screen)
    if app.loaded is not None:
        for number, phase in enumerate(PHASES, 1):  # numbered as the phase bar numbers them
            out.append(PaletteCommand(phase_title(app, number, phase), t("cmd.phase_help"),
                                      lambda p=phase: app.goto_phase(p),
                                      f"phase 단계 {phase} {PHASE_WORDS[phase]}"))
    if app.save_problem == "conflict":
        out.append(PaletteCommand(both(app, "cmd.reload"), f"ctrl+r · {t('cmd.reload_help')}",
                                  app.action_resolve_conflict, "reload conflict 충돌"))
    for title, help_text, callback, *_ in App.get_system_commands(app, screen):
        if title in TEXTUAL_DROPPED:
            continue
        if title in TEXTUAL:
            name, help_key = TEXTUAL[title]
            out.append(PaletteCommand(both(app, name), t(help_key), callback, title,
                                      f"{tr(help_key, 'ko')} {tr(help_key, 'en')}", group="textual"))
        else:  # a command a newer Textual added: shown as Textual's, untranslated
            out.append(PaletteCommand(t("cmd.textual", title=title), help_text, callback, title, group="textual"))
    return out


def _steps(app, screen) -> list[PaletteCommand]:
    """A phase's remote steps (RemoteSteps.REMOTE_STEPS), each named after its system too, so
    "jira" finds every Jira step; a system that is not configured says so instead of running."""
    out = []
    for name, key in getattr(screen, "REMOTE_STEPS", ()):
        system = STEPS[name].system
        status = screen.status_name(name)
        system_label = SYSTEM_LABELS.get(system, system)
        title = both(app, key, status=status)
        if system_label.casefold() not in title.casefold():
            title = f"{system_label}: {title}"
        if screen.system_ready(system) and screen.panel is not None:
            callback = partial(screen.start_step, name)
        else:
            which = {"jira": "[jira] url", "github": "[github] repo"}.get(system, system)
            message = app.t("rs.not_configured", system=system_label, which=which)
            callback = lambda message=message: app.say(message, severity="warning")  # noqa: E731
        out.append(PaletteCommand(title, app.t("cmd.step_help", system=system_label), callback,
                                  f"{system} step remote 원격 단계"))
    return out


def _shown(title: str, offsets=()) -> Content:
    """A title as plain text (never markup: a status name comes from the config), matches marked."""
    content = Content(title)
    for offset in offsets:
        if not title[offset].isspace():
            content = content.stylize(Style(reverse=True), offset, offset + 1)
    return content


def _whole_words(title: str) -> set[str]:
    """A title's words and its " · "-separated names, lower case."""
    folded = title.casefold()
    return set(re.findall(r"\w+", folded)) | {part.strip() for part in folded.split("·")}


class HotfixCommands(Provider):
    """The palette's one provider: the app's commands, then Textual's (see palette_commands)."""

    async def discover(self) -> Hits:
        for command in palette_commands(self.app, self.screen):
            yield DiscoveryHit(_shown(command.title), command.callback, text=command.title, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        words = query.strip().casefold()
        for command in palette_commands(self.app, self.screen):
            score, offsets = matcher.fuzzy_search.match(query, command.title)
            if not score and words and words in command.aliases.casefold():
                score = 1.0  # found by a word it is known by, not by its name: ranked low
            if not score and words and words in command.more.casefold():
                score = 0.5  # found in its help line: lowest
            if not score:
                continue
            if words and words in _whole_words(command.title):
                score *= 2  # "PR" is the phase called PR before it is "Previous phase"
            if command.group == "textual":
                score /= 2  # the app's own commands come first
            yield Hit(score, _shown(command.title, offsets), command.callback, text=command.title,
                      help=command.help)


KEY_COLUMN = 8


def help_keys(app, screen) -> list[str]:
    """The help screen's key list: the registry's actions on ``screen``, key, name, help."""
    t = app.t
    return [f"{key_text(a.keys):<{KEY_COLUMN}} {t(a.label)} — {t(a.help)}" for a, _ in available(app, screen)] + [
        f"{'ctrl+g':<{KEY_COLUMN}} {t('key.palette')} — {t('cmd.palette')}"]


def help_text(app, screen, phase: str) -> str:
    """What the help screen says: the phase's purpose, how the wizard is driven (Tab, gates,
    rows, timeline, §10 pane, dialogs, undo, copy over SSH), and the keys of this screen."""
    t = app.t
    lines = []
    if phase:
        lines += [t(f"intro.{phase}"), ""]
        for title, body in (("help.move_title", "help.move"), ("help.gates_title", "help.gates"),
                            ("help.lists_title", "help.lists"), ("help.timeline_title", "help.timeline"),
                            ("help.pane_title", "help.pane"), ("help.dialogs_title", "help.dialogs"),
                            ("help.undo_title", "help.undo"), ("help.copy_title", "help.copy")):
            lines += [f"— {t(title)} —", t(body), ""]
    else:
        lines += [t("help.home"), "", f"— {t('help.dialogs_title')} —", t("help.dialogs"), ""]
    lines += [f"— {t('help.keys_title')} —", *help_keys(app, screen)]
    if phase:
        lines += ["", t("manual_hint")]
    return "\n".join(lines)
