"""The Textual application: owns the open draft, autosaves it, and moves between phases.

Services and configuration are built outside and passed in (tests inject their own).
Autosave writes at most every half second while the draft is dirty, plus on quit and on
SIGHUP/SIGTERM, so a dropped SSH session loses at most the last moment of typing.

When the draft cannot be saved (another session changed it, a read-only folder, a full
disk) one persistent banner says why and autosave backs off instead of retrying every
tick; leaving the draft (ctrl+q, esc, SIGHUP, SIGTERM) then writes the edits to a
recovery copy first and says where (a toast, or one stderr line after exit, exit 2). If
nothing can be written anywhere, ctrl+q and esc ask before losing the edits.

Keys from the terminal pass through the app in arrival order ("typeahead" below): keys
read in one burst with Tab, Enter or ctrl+n go to the field focused after that key.
"""

from __future__ import annotations

import asyncio
import contextvars
import copy
import dataclasses
import datetime as _dt
import functools
import gc
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.driver import Driver

from .config import Config
from .i18n import tr
from .idle_gc import IdleCollector
from .model import PHASES, Draft, in_zone, now, set_timezone
from .render.artifacts import RenderContext
from .services.errors import Ending
from .store import DraftConflictError, DraftError, DraftStore, LoadedDraft, RecoveryError, error_reason
from .textsafe import visible_line
from .workflow.undo import ChangeHistory
from .workflow.validation import ERROR, validate

if TYPE_CHECKING:
    from .workflow.checklist import Facts

AUTOSAVE_SECONDS = 0.5
# After a failed save, autosave waits this long before trying again, doubling up to the
# cap: a full disk is not fixed in half a second, and each attempt costs a write.
RETRY_FIRST_SECONDS = 1.0
RETRY_MAX_SECONDS = 30.0

CLEAN, SAVED, RECOVERED, LOST = "clean", "saved", "recovered", "lost"

# Typeahead (keys that arrive in one read, as over a laggy SSH link). Textual hands each key
# to the focused widget's queue at once, while a focus change happens later: the Tab
# bubbles up to the screen's binding through one queue per widget, a dialog closes, a new
# screen mounts. Keys read in the same burst would go to the old field. So Tab and
# shift+Tab move focus before the next key is dispatched, and after a key that may move
# focus some other way the following keys wait until the app has settled.
FOCUS_KEYS = {"tab": ("app.focus_next", "focus_next"), "shift+tab": ("app.focus_previous", "focus_previous")}
SETTLE_KEYS = frozenset({"enter", "escape", "ctrl+n", "ctrl+p", "ctrl+g", "ctrl+t", "f1", "f2", "f3", "f5",
                         "tab", "shift+tab"})
AUTOSAVE_WAIT_SECONDS = 10.0  # closing waits this long for a write in flight (a stuck disk)
HOLD_MAX_SECONDS = 5.0  # keys are never held longer than this (they are late, never lost)
SETTLE_ROUNDS = 3  # consecutive quiet checks of every queue before the held keys go on


def phase_screen(phase: str):
    """A new screen for ``phase``. Only that phase's module is imported: opening a draft at §8
    need not load the other eight (a tenth of the time to the first frame)."""
    from .screens.phase import screen_class

    return screen_class(phase)()


def typed(event: object) -> bool:
    """Whether ``event`` is someone typing: a key, a paste, a click or a scroll, not the
    mouse moving."""
    return isinstance(event, (events.Key, events.Paste)) or (
        isinstance(event, events.MouseEvent) and not isinstance(event, events.MouseMove))


@functools.cache
def noting_keys(base: type[Driver]) -> type[Driver]:
    """``base`` (Textual's terminal driver) telling the app's ``collector`` of each key, paste
    or click in its input thread, as soon as it is read: before the event loop, which may
    wait for the interpreter behind the runner's threads, handles it."""

    class KeysNoted(base):  # type: ignore[misc, valid-type]
        def process_message(self, message) -> None:
            if typed(message):
                collector = getattr(self._app, "collector", None)
                if collector is not None:
                    collector.input()
            super().process_message(message)

    KeysNoted.__name__ = KeysNoted.__qualname__ = f"KeysNoted{base.__name__}"
    return KeysNoted


class HotfixApp(App):
    TITLE = "hotfix"
    CSS_PATH = "app.tcss"
    COMMAND_PALETTE_BINDING = "ctrl+g"
    COMMANDS = {lambda: _palette_provider()}
    BINDINGS = [
        Binding("ctrl+q", "quit", "key.quit", priority=True, show=False),
        Binding("ctrl+r", "resolve_conflict", "Reload", show=False, priority=True),
        # The palette's own binding, so the footer names it in the app's language (Textual
        # adds an English "palette" one only when the app has none).
        Binding(COMMAND_PALETTE_BINDING, "command_palette", "key.palette", show=False, priority=True),
        # Priority: a focused field would take alt+z as a typed "z" (Textual gives it that character).
        Binding("alt+z", "undo_change", "key.undo_change", show=False, priority=True),
    ]

    def __init__(self, config: Config, store: DraftStore, *, services=None, draft_path: Path | None = None,
                 clock: Callable[[], _dt.datetime] | None = None, autosave_seconds: float = AUTOSAVE_SECONDS,
                 draft: LoadedDraft | None = None):
        super().__init__()
        self.config = config
        self.store = store
        self.services = services
        self.initial_path = draft_path
        # The draft the CLI already loaded (and checked) from draft_path: not parsed twice.
        self._initial_loaded = draft if draft is not None and draft_path is not None and draft.path == draft_path \
            else None
        # The one clock ([ui] timezone): what the header shows and every record stores.
        set_timezone(config.ui.zone())
        self.clock = clock or now
        self.autosave_seconds = autosave_seconds
        self.autosave_ticks = 0  # how many times the autosave has looked
        self.loaded: LoadedDraft | None = None
        self.dirty = False
        # Whether the user or a step changed the open draft since it was opened: until then
        # what the app derives (§10 auto-ticks) stays in memory and opening writes nothing.
        self.edited = False
        self._save_lock = threading.Lock()
        # Clear while an autosave thread is between its snapshot and its write: closing
        # waits for it, so no writer outlives the app and no snapshot is dropped unwritten.
        self._save_idle = threading.Event()
        self._save_idle.set()
        self._save_unhandled = False  # an autosave's result has not reached the loop yet
        self.banner = ""  # a persistent problem (the save problem below) shown on every screen
        self.save_problem = ""  # "" | "conflict" (paused until ctrl+r) | "io" (retried with backoff)
        self._problem_reason = ""  # the short reason, for a recovery copy's header and messages
        self._retry_delay = 0.0
        self._retry_at = 0.0
        self.monotonic = time.monotonic  # the backoff's clock (tests step it)
        self.collector = IdleCollector()  # full garbage collections wait for a pause in input
        pace_with = getattr(services, "pace_with", None)
        if pace_with is not None:  # command output yields to keystrokes while someone types
            pace_with(self.collector.typing)
        self._asking_to_lose = False
        self.exit_note = ""  # one line printed on stderr after the screen is gone
        # How the session ended (cli.py makes the exit code): the edits' fate, or the signal.
        self.ending = Ending.OK
        self.stopped_by = 0
        self.preview_mode = "rendered"
        self.render_context = RenderContext.from_config(config)
        self._changes = None  # the open draft's "undo last change" history (change_history)
        # The open draft's phase screens, built once and shown again (refreshed from the
        # draft) on each phase switch instead of composed anew; dropped with the draft.
        self._kept: dict[str, object] = {}
        self._kept_for: LoadedDraft | None = None
        # The draft's phase moved (a phase switch) since it was last written: a position, not
        # an edit, so no autosave for it; written with the next change or when the draft is left.
        self._phase_unsaved = False
        self._pending_keys: list = []  # keys read while focus may still move, in order
        self._holding = False
        self._hold_target = None  # the widget the key that started the hold went to
        self._settle_task: asyncio.Task | None = None
        self.translate_bindings(self)

    def t(self, message_id: str, /, **fields) -> str:
        return tr(message_id, self.config.ui.language, **fields)

    def translate_bindings(self, node) -> None:
        """Binding descriptions are catalogue keys ("key.next") so the footer follows
        [ui] language; replace them on ``node``'s own bindings.

        Textual copies a node's binding map shallowly from its class, so the lists are
        the class's: each is replaced by a new list, or the first app's language would
        stick to every later app in the process.
        """
        table = node._bindings.key_to_bindings
        for key, bindings in table.items():
            table[key] = [
                dataclasses.replace(b, description=self.t(b.description)) if b.description.startswith("key.") else b
                for b in bindings
            ]

    def now_iso(self) -> str:
        """Now by this app's clock, in the configured zone, with its offset."""
        return in_zone(self.clock()).replace(microsecond=0).isoformat()

    def say(self, message: str, *, severity: str = "information", timeout: float = 5) -> None:
        """A toast with no markup and controls made visible: messages carry user and server text
        such as "[HOTFIX] ..." (rule 5: data is never terminal code). Bounded: a toast is a line
        or two, never a pasted megabyte."""
        from .textsafe import visible

        if len(message) > 2000:
            message = message[:2000] + "…"
        self.notify(visible(message), severity=severity, timeout=timeout, markup=False)

    def update_styles(self, node, animate: bool = True) -> None:
        """Restyle ``node`` after a class change, unless it is not in the DOM yet: a widget
        given a class as it is built (``compact=True`` sets one) is styled when mounted, and
        restyling it before was a tenth of the time to a phase screen's first frame."""
        if node is not self and not node.is_attached:
            return
        super().update_styles(node, animate)

    # -- lifecycle -----------------------------------------------------------------------

    def on_mount(self) -> None:
        self.store.remove_stale_temp()  # what an interrupted save (kill -9, power cut) left
        self._install_signal_handlers()
        self.set_interval(self.autosave_seconds, self._autosave)
        self.collector.start()
        self.set_interval(0.5, self.collector.tick)
        # The first screen is shown once this handler is over: Textual mounts the app inside
        # a batch that holds back output, and a frame drawn then was dropped while the
        # regions it drew counted as sent. The terminal got its first frame without the
        # stepper, tabs and status line, and only after the rest of the form was built.
        self.call_later(self._first_screen)

    def _first_screen(self) -> None:
        if self.initial_path is not None:
            self.open_draft(self.initial_path, home_on_error=True)
        else:
            self.go_home()
        # Collections are off while the app starts (``cli.cmd_tui``); back on once the first
        # screen is drawn. Full ones wait for a pause in input (``idle_gc``); a phase screen
        # puts what was built aside once its whole form is there (``PhaseScreen.land_focus``).
        self.call_after_refresh(gc.enable)

    def _install_signal_handlers(self) -> None:
        # A dropped SSH connection sends SIGHUP: save what was typed (or write it to a
        # recovery copy), then leave. Nobody is there to ask. The work runs on the event
        # loop, not inside the handler: the signal may land while this thread is in the
        # middle of a save and holds the save lock.
        loop = asyncio.get_running_loop()

        def leave(signum: int) -> None:
            self._stop_commands()
            state, where = self.secure_edits()
            self._note_exit(state, where)
            self.stopped_by = signum
            self.exit()

        def handler(signum, frame):
            try:
                loop.call_soon_threadsafe(leave, signum)
            except RuntimeError:  # the loop is already closed: the app is exiting anyway
                pass

        for sig in (signal.SIGHUP, signal.SIGTERM):
            try:
                signal.signal(sig, handler)
            except (ValueError, OSError):  # not the main thread (tests run us in a loop)
                pass

    async def action_quit(self) -> None:
        if self._asking_to_lose:
            return
        self._stop_commands()
        state, where = self.secure_edits()
        if state == LOST:
            def answered(lose: bool | None) -> None:
                self._asking_to_lose = False
                if lose:
                    self._note_exit(LOST, where)
                    self.ending = Ending.USAGE  # an I/O problem: the edits are lost by choice
                    self.exit()

            self._ask_to_lose(where, self.t("lost_quit"), answered)
            return
        self._note_exit(state, where)
        # Edits in a recovery copy are not in the draft: an I/O problem the shell must see.
        self.ending = Ending.USAGE if state == RECOVERED else Ending.OK
        self.exit()

    def run(self, *args, **kwargs):
        """Run the app; afterwards say on stderr where unsaved edits went (if anywhere)."""
        result = super().run(*args, **kwargs)
        if self.exit_note:
            try:
                print(f"hotfix: {visible_line(self.exit_note)}", file=sys.stderr, flush=True)
            except OSError:  # the terminal is gone (a dropped SSH session): the copy is on disk
                pass
        return result

    def _stop_commands(self) -> None:
        """A terraform or kubectl still running must not outlive the app (its process group)."""
        services = self.services
        if services is None or not services.built("checks"):
            return  # never built: nothing ever ran
        checks = getattr(services, "checks", None)
        if checks is not None:
            checks.runner.cancel_all()

    # -- typeahead -----------------------------------------------------------------------

    def get_driver_class(self):
        """Textual's driver for this terminal, noting each key in its input thread as it is
        read (``noting_keys``): command output gives way to it before the event loop
        even sees it."""
        return noting_keys(super().get_driver_class())

    async def on_event(self, event) -> None:
        """Keys from the terminal go through ``_route_key`` in arrival order."""
        if isinstance(event, (events.InputEvent, events.Paste)):
            self.collector.input(typed(event))
        if isinstance(event, events.Key) and not event.is_forwarded:
            self._pending_keys.append(event)
            await self._drain_keys()
            return
        await super().on_event(event)

    async def _drain_keys(self) -> None:
        while self._pending_keys and not self._holding:
            key = self._pending_keys.pop(0)
            await self._route_key(key)

    async def _route_key(self, event) -> None:
        if not self.app_focus:  # the terminal lost focus meanwhile: a key means the person is back
            self.app_focus = True
        screen = self.screen
        if not getattr(screen, "landed", True) and screen.is_mounted:
            # A phase screen not yet landed (its first frame is up, the rest of its form comes
            # right after): the key waits for focus to land where typing goes.
            self._pending_keys.insert(0, event)
            self._hold_until_settled(None)
            return
        if screen.focused is None and getattr(screen, "land_focus", None) is not None:
            screen.land_focus()  # a key never goes nowhere while the form is there to take it
        if await self._move_focus_now(event):
            return  # focus has moved: the next key already goes to the new field
        target = screen.focused
        # A key that is not a character acts through a binding, which Textual resolves only
        # once the key has bubbled back up to the app: a character typed after it in the same
        # read would be inserted first (backspace, then x, would delete the x). So the keys
        # after one wait until it has been handled, as they do after the keys that move focus.
        settles = (event.key in SETTLE_KEYS or event.key in getattr(target, "SETTLE_KEYS", ())
                   or not event.is_printable)
        if settles and target is not None and not _pump_idle(target):
            # Keys typed before it are still queued in the field, and Enter may be a binding
            # that acts at once (a dialog's save): they go first, then this key.
            self._pending_keys.insert(0, event)
            self._hold_until_settled(target)
            return
        await super().on_event(event)
        # A widget may name keys of its own that open a dialog (a row list's a / b / enter):
        # the keys after them wait for the dialog as they do after the app's.
        if settles:
            self._hold_until_settled(target)

    async def _move_focus_now(self, event) -> bool:
        """Tab / shift+Tab: run the focus binding here, before the next key is dispatched,
        when it is what the key would reach anyway (no widget on the way claims the key)."""
        actions = FOCUS_KEYS.get(event.key)
        focused = self.screen.focused
        if actions is None or focused is None:
            return False
        from textual.widgets import TextArea

        for node in (focused, *focused.ancestors_with_self):
            if isinstance(node, TextArea) and node.tab_behavior == "indent":
                return False
            if hasattr(node, f"key_{event.key.replace('+', '_')}"):
                return False
        for namespace, bindings in self.screen._modal_binding_chain:
            for binding in bindings.key_to_bindings.get(event.key, ()):
                if binding.priority:
                    continue
                if binding.action not in actions:
                    return False
                return await self.run_action(binding.action, namespace)
        return False

    @property
    def keys_pending(self) -> bool:
        """Whether keys already read are still held back until focus lands (tests wait on it)."""
        return self._holding or bool(self._pending_keys)

    def _hold_until_settled(self, target) -> None:
        """Keep the following keys until what ``target`` (the widget the key went to) and
        the screen do with it is done, and the focus has landed."""
        self._holding = True
        self._hold_target = target
        if self._settle_task is None or self._settle_task.done():
            self._settle_task = asyncio.create_task(self._settle())

    async def _settle(self) -> None:
        deadline = time.monotonic() + HOLD_MAX_SECONDS
        quiet = spins = 0
        try:
            while quiet < SETTLE_ROUNDS and time.monotonic() < deadline and self.is_running:
                spins += 1
                # Yield to the loop; after a while (a worker in a thread) do not spin hot.
                await asyncio.sleep(0 if spins < 50 else 0.005)
                try:
                    settled = self._settled()
                except Exception:  # the app is closing (no screen): let the keys go
                    settled = True
                quiet = quiet + 1 if settled else 0
        finally:
            self._holding = False
            if self._pending_keys and self.is_running:
                self.call_later(self._drain_keys)

    def _settled(self) -> bool:
        """True when nothing is in flight that could still move focus.

        Only the queues a key and what it causes pass through are looked at (the app, the
        screen, the widget the key went to, the focused one, and their ancestors), so a
        log streaming elsewhere on the screen does not hold the keys.
        """
        from textual.screen import ModalScreen
        from textual.worker import WorkerState

        try:
            screen = self.screen
        except Exception:
            return True
        if not getattr(screen, "landed", True) or not screen.is_mounted:
            return False
        for worker in self.workers:
            if worker.group == "advance" and worker.state in (WorkerState.PENDING, WorkerState.RUNNING) \
                    and not isinstance(screen, ModalScreen):
                return False
        nodes = {self, screen}
        for widget in (self._hold_target, screen.focused):
            if widget is not None and widget.is_attached:
                nodes.update(widget.ancestors_with_self)
        if not all(_pump_idle(node) for node in nodes):
            return False
        if screen.focused is None and screen.focus_chain:
            return False  # a dialog just opened: its field is not focused yet
        return True

    # -- drafts --------------------------------------------------------------------------

    def go_home(self) -> None:
        """Back to the drafts list; the open draft is saved first, or its edits go to a
        recovery copy (said in a toast), or — if nothing can be written — the user is asked."""
        if self._asking_to_lose:
            return
        state, where = self.secure_edits()
        if state == LOST:
            def answered(lose: bool | None) -> None:
                self._asking_to_lose = False
                if lose:
                    self._home()

            self._ask_to_lose(where, self.t("lost_leave"), answered)
            return
        name = self.loaded.path.name if self.loaded is not None else ""
        self._home()
        if state == RECOVERED:
            self.say(self.t("recovered_toast", name=name, reason=self._problem_reason or "-", path=where),
                     severity="warning", timeout=60)

    def _home(self) -> None:
        from .screens.home import HomeScreen

        self.loaded = None
        self.dirty = self._phase_unsaved = False
        self._clear_problem(refresh=False)
        stale, self._kept, self._kept_for = self._kept, {}, None
        replaced = self._show(HomeScreen())
        self._release(stale.values(), replaced)
        self._thaw_heap()

    def _show(self, screen):
        """Make ``screen`` the current one; returns the screen it replaced (None if none)."""
        # The stack is [Textual's default screen, the current one]; modals go on top.
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) > 1:
            replaced = self.screen_stack[-1]
            self.switch_screen(screen)
            return replaced if replaced is not screen else None
        self.push_screen(screen)
        return None

    def _freeze_heap(self) -> None:
        """Leave what the app has built so far (screens, widgets, the draft) out of Python's
        full garbage collections. With a few screens kept, each full collection walked
        ~120,000 objects for 75-105 ms on the event loop, now and then in the middle of a
        keystroke: those were the slowest echoes (p99). Young garbage is collected first so
        little of it is frozen; ``_thaw_heap`` gives it all back when the draft is left."""
        gc.collect(1)
        gc.freeze()

    @staticmethod
    def _thaw_heap() -> None:
        gc.unfreeze()  # the dropped screens (and anything frozen with them) can be collected again

    def _release(self, screens, replaced) -> None:
        """Let Textual remove kept screens no longer wanted. ``replaced`` (just switched away
        from) is removed by the switch itself once it is no longer installed; the others,
        off the stack already, are removed here."""
        for screen in screens:
            if any(screen in stack for stack in self._screen_stacks.values()):
                continue  # still current (cannot happen: the caller switched away first)
            self.uninstall_screen(screen)
            if screen is not replaced and screen.is_attached:
                screen.remove()

    def new_draft(self) -> None:
        draft = Draft(id=self.clock().strftime("%Y%m%d-%H%M"))  # named by the app's clock (the store keeps it unique)
        draft.deploy.monitor_minutes = self.config.monitor.minutes
        draft.add_event(self.t("event.discovered"), source="auto", milestone=True)
        try:
            self.loaded = self.store.create(draft)
        except OSError as exc:
            self.say(self.t("save_failed", error=exc), severity="error", timeout=10)
            return
        self.dirty = self.edited = self._phase_unsaved = False
        self.goto_phase("triage")

    def open_draft(self, path: Path, home_on_error: bool = False) -> None:
        preloaded, self._initial_loaded = self._initial_loaded, None
        try:
            self.loaded = preloaded if preloaded is not None and preloaded.path == path else self.store.load(path)
        except DraftError as exc:
            self.say(str(exc), severity="error", timeout=15)
            if home_on_error:
                self.go_home()
            return
        self.dirty = self.edited = self._phase_unsaved = False
        self._clear_problem(refresh=False)
        self.goto_phase(self.loaded.draft.phase if self.loaded.draft.phase in PHASES else "triage")

    def goto_phase(self, phase: str) -> None:
        """Show ``phase``'s screen: the one kept for the open draft, refreshed from the draft,
        or a new one (kept from then on). Moving is not an edit: nothing is marked dirty."""
        loaded = self.loaded
        assert loaded is not None
        if loaded.draft.phase != phase:
            loaded.draft.phase = phase
            self._phase_unsaved = True
        stale: list = []
        if self._kept_for is not loaded:  # another draft (or the same file read again): fresh screens
            stale, self._kept, self._kept_for = list(self._kept.values()), {}, loaded
            self._thaw_heap()
        leaving = self.screen_stack[1] if len(self.screen_stack) > 1 else None
        if leaving is not None and self._kept.get(getattr(leaving, "PHASE", "")) is leaving \
                and leaving.PHASE != phase:
            if leaving.can_keep():
                leaving.leave()
            else:  # it runs something: left as before (removed, its work stopped)
                del self._kept[leaving.PHASE]
                stale.append(leaving)
        screen = self._kept.get(phase)
        if screen is not None and screen is leaving:
            return  # already shown
        if screen is None:
            screen = self._kept[phase] = phase_screen(phase)
            self.install_screen(screen, f"hotfix-phase-{id(screen)}")  # frozen once built whole (land_focus)
        else:
            screen.reshow()  # before the switch: its first frame already shows the draft as it is
        replaced = self._show(screen)
        self._release(stale, replaced)

    def gate_facts(self, tree: str = "") -> "Facts":
        """What the gates need besides the draft: the app's clock, ``[monitor] minutes``, and
        ``tree`` (the terraform files' fingerprint, computed by the caller when it matters)."""
        from .workflow.checklist import Facts

        return Facts(now=self.clock(), minutes=self.config.monitor.minutes, tree=tree)

    def tree_fingerprint(self) -> str:
        """The terraform files' fingerprint now, "" when there is no terraform folder to read."""
        checks = getattr(self.services, "checks", None)
        return checks.tree_fingerprint() if checks is not None else ""

    def blocking(self, phase: str, tree: str = "") -> list:
        """The errors that keep ``phase`` from being left forward: its rules and its gate."""
        from .workflow.validation import gates

        ctx = self.render_context
        draft = self.loaded.draft
        return [f for f in validate(draft, ctx, [phase]) + gates(draft, ctx, [phase], self.gate_facts(tree))
                if f.level == ERROR]

    @work(exclusive=True, group="advance")
    async def advance(self, phase: str, delta: int) -> None:
        """Next/previous phase. Leaving forward while a rule or gate does not hold asks for a
        reason (an empty one is refused) and records the override: who, when, why, what."""
        from .screens.modals import PromptScreen

        index = PHASES.index(phase) + delta
        if not 0 <= index < len(PHASES):
            return
        draft = self.loaded.draft
        changed = False
        if delta > 0:
            tree = await asyncio.to_thread(self.tree_fingerprint) if phase == "fix" else ""
            errors = self.blocking(phase, tree)
            if errors:
                problems = "\n".join(f"• {visible_line(f.message)}" for f in errors[:8])
                question = self.t("ov.reason_q", count=len(errors), problems=problems)
                reason = await self.push_screen_wait(PromptScreen(question))
                if reason is None:
                    return
                if not reason.strip():
                    self.say(self.t("ov.reason_empty"), severity="warning")
                    return
                from .workflow.validation import record_override

                record_override(draft, phase, errors, reason, self.config.ui.language, at=self.now_iso())
                changed = True
            else:
                if phase in draft.overridden_phases:  # passed cleanly now; its overrides stay on record
                    draft.overridden_phases.remove(phase)
                    changed = True
                if phase not in draft.done_phases:
                    draft.add_event(self.t("phase_done_event", phase=self.t(f"phase.{phase}")), source="auto")
            if phase not in draft.done_phases:
                draft.done_phases.append(phase)
                changed = True
        if changed:  # a phase done or overridden is a fact: saved soon (a mere move is not)
            self.mark_dirty()
        self.goto_phase(PHASES[index])

    # -- saving --------------------------------------------------------------------------

    def keep_outcome(self, outcome, draft_path=None) -> bool:
        """Store a step's result in the open draft (with its event) and save at once.

        ``draft_path`` is the draft the step was prepared from: when another draft is open
        now, the result is said (to be typed in) instead, and False returned.
        """
        loaded = self.loaded
        if loaded is None or (draft_path is not None and loaded.path != draft_path):
            self.say(self.t("rs.saved_result", result=outcome.result), severity="warning", timeout=30)
            return False
        outcome.apply(loaded.draft)
        self.mark_dirty()
        self.save_now()
        return True

    def mark_dirty(self) -> None:
        """The user or a step changed the draft: save it soon."""
        self.dirty = self.edited = True

    def derived_changed(self) -> None:
        """The app's own derivations changed the draft (auto-ticks): saved with the next real
        change, never on their own right after opening (opening a draft writes nothing)."""
        if self.edited:
            self.dirty = True

    def _autosave(self) -> None:
        """Every half second while dirty: snapshot here, write in a thread.

        Formatting TOML and fsync take tens of milliseconds; done on the event loop they
        would stall the keystroke that happens to arrive meanwhile. After a conflict it
        waits for ctrl+r; after a failed write it waits for the backoff to run out.
        """
        self.autosave_ticks += 1  # tests wait on ticks, never on time
        if not self.dirty or self.loaded is None or self.saving:
            return
        if self.save_problem == "conflict" or (self.save_problem and self.monotonic() < self._retry_at):
            return
        self.dirty = self._phase_unsaved = False
        self._save_idle.clear()
        self._save_unhandled = True
        # A plain thread, started here: a Textual worker cancelled by the app's exit before
        # its task ran would never write, and nothing would wait for it.
        # The result is handled on the loop in the app's context (notify, refresh need it).
        context = contextvars.copy_context()
        threading.Thread(target=self._background_save, args=(self.loaded, copy.deepcopy(self.loaded.draft), context),
                         name="autosave").start()

    def _background_save(self, loaded: LoadedDraft, snapshot: Draft, context: contextvars.Context) -> None:
        try:
            error = self._write(loaded, snapshot)
        finally:
            self._save_idle.set()
        try:  # never blocks: the app may be closing and no longer running callbacks
            self._loop.call_soon_threadsafe(self._background_saved, loaded, error, context=context)
        except (AttributeError, RuntimeError):  # the loop is gone: the app has closed
            pass

    def _background_saved(self, loaded: LoadedDraft, error: Exception | None) -> None:
        try:
            if self.is_running:  # a write the closing app waited for: nothing left to show
                self._after_save(loaded, error, False)
        finally:
            self._save_unhandled = False

    @property
    def saving(self) -> bool:
        """Whether an autosave is under way: its thread writing (or about to), or its result
        (a banner, the backoff) not yet handled on the loop."""
        return not self._save_idle.is_set() or self._save_lock.locked() or self._save_unhandled

    def _wait_for_autosave(self) -> None:
        """Until a running autosave has written (bounded: a stuck disk must not hang quit)."""
        self._save_idle.wait(AUTOSAVE_WAIT_SECONDS)
        with self._save_lock:
            pass  # its failure sets ``dirty`` under the lock

    def on_unmount(self) -> None:
        # The app is closing however it was asked to (quit, a signal, a test's exit):
        # a write started before must finish before the files are read again.
        self._wait_for_autosave()
        self._thaw_heap()  # nothing of this app stays frozen in the process (tests run many)
        self.collector.stop()

    def _write(self, loaded: LoadedDraft, draft: Draft) -> Exception | None:
        """Save ``draft`` as ``loaded``'s file; the lock keeps one writer (thread or quit) at a time.

        A failure marks the draft dirty here, under the lock, so whoever takes the lock
        next (quit, a signal) sees it even before ``_after_save`` has run.
        """
        with self._save_lock:
            target = LoadedDraft(draft, loaded.path, loaded.doc, loaded.fingerprint)
            try:
                self.store.save(target)
            except (DraftError, OSError) as exc:
                if loaded is self.loaded:
                    self.dirty = True
                return exc
            loaded.fingerprint = target.fingerprint
            return None

    def _after_save(self, loaded: LoadedDraft, error: Exception | None, announce: bool) -> bool:
        if loaded is not self.loaded:
            return error is None  # the user moved to another draft meanwhile
        if error is not None:
            self.dirty = True
            self._set_problem(error)
            return False
        if self.save_problem:
            self._clear_problem()
        if announce:
            self.say(self.t("saved"), timeout=2)
        self._refresh_screen()
        return True

    def _set_problem(self, error: Exception) -> None:
        """One persistent banner with the reason (no toast per attempt); back off retries."""
        if isinstance(error, DraftConflictError):
            self.save_problem = "conflict"
            self._problem_reason = self.t("conflict_reason", name=self.loaded.path.name)
            banner = self.t("conflict_banner")
        else:
            self.save_problem = "io"
            self._problem_reason = error_reason(error)
            self._retry_delay = min(RETRY_MAX_SECONDS, max(RETRY_FIRST_SECONDS, 2 * self._retry_delay))
            self._retry_at = self.monotonic() + self._retry_delay
            banner = self.t("save_failed_banner", error=self._problem_reason)
        self._set_banner(banner)

    def _clear_problem(self, refresh: bool = True) -> None:
        self.save_problem = ""
        self._problem_reason = ""
        self._retry_delay = 0.0
        if refresh:
            self._set_banner("")
        else:  # the draft's screen is being left: nothing to repaint
            self.banner = ""

    def _set_banner(self, text: str) -> None:
        if text != self.banner:
            self.banner = text
            self._refresh_screen(status_changed=True)
        else:
            self._refresh_screen()

    def save_now(self, announce: bool = False) -> bool:
        """Save on the calling thread (ctrl+s, a step's result): waits for a running
        autosave. Tries even after a failure (ctrl+s is the "retry now"), not after a
        conflict (that waits for ctrl+r)."""
        if self.loaded is None:
            return False
        if self.save_problem == "conflict":
            self.dirty = True
            self._refresh_screen()
            return False
        self.dirty = self._phase_unsaved = False
        return self._after_save(self.loaded, self._write(self.loaded, self.loaded.draft), announce)

    def secure_edits(self) -> tuple[str, Path | str | None]:
        """Before the open draft is closed (quit, esc, a signal): make its edits safe.

        Returns (CLEAN, None) when nothing was unsaved, (SAVED, path), (RECOVERED, the
        recovery copy's path) when the draft could not take them, or (LOST, the reason)
        when not even a recovery copy could be written.
        """
        loaded = self.loaded
        if loaded is None:
            return CLEAN, None
        self._wait_for_autosave()
        if self._phase_unsaved and not self.save_problem:
            self.dirty = True  # where the user stands is written when the draft is left
        if not self.dirty and not self.save_problem:
            return CLEAN, None
        if self.save_problem != "conflict":
            self.dirty = self._phase_unsaved = False
            error = self._write(loaded, loaded.draft)
            if error is None:
                self._clear_problem()
                return SAVED, loaded.path
            self.dirty = True
            self._set_problem(error)
        try:
            copy = self.store.save_recovery(loaded, self._problem_reason)
        except RecoveryError as exc:
            return LOST, str(exc)
        return RECOVERED, copy.path

    def _note_exit(self, state: str, where) -> None:
        if self.loaded is None:
            return
        if state == RECOVERED:
            self.exit_note = self.t("recovered_exit", draft=self.loaded.path, reason=self._problem_reason or "-",
                                    path=where)
        elif state == LOST:
            self.exit_note = self.t("lost_exit", draft=self.loaded.path, error=where)

    def _ask_to_lose(self, error, lose_label: str, answered) -> None:
        """Nothing could be written anywhere: staying is the default (focused, esc)."""
        from .screens.modals import ConfirmScreen

        self._asking_to_lose = True
        self.push_screen(ConfirmScreen(self.t("lost_q", error=error), lose_label, self.t("stay"), default=False),
                         answered)

    def action_resolve_conflict(self) -> None:
        """After a conflict: keep our version as a copy (a new id), then load what is on disk."""
        if self.loaded is None or self.save_problem != "conflict":
            return
        try:
            saved_as = self.store.save_copy(self.loaded)
        except OSError as exc:
            try:
                saved_as = self.store.save_recovery(self.loaded, self._problem_reason).path
            except RecoveryError:
                self.say(self.t("conflict_copy_failed", error=error_reason(exc)), severity="error", timeout=15)
                return
        path = self.loaded.path
        self._clear_problem(refresh=False)
        self.say(self.t("conflict_copy", path=saved_as), timeout=10)
        self.open_draft(path)

    def _refresh_screen(self, status_changed: bool = False) -> None:
        from .widgets.context_bar import ContextBar

        for bar in self.screen.query(ContextBar):
            bar.refresh_bar()
        refresh = getattr(self.screen, "refresh_derived", None)
        if refresh is not None and (self.banner or status_changed):
            refresh()

    # -- undo last change (alt+z) ---------------------------------------------------------

    def change_history(self):
        """The open draft's last field changes (``workflow.undo.ChangeHistory``), None on the home screen."""
        if self.loaded is None:
            return None
        if self._changes is None or self._changes.owner is not self.loaded.draft:
            self._changes = ChangeHistory(self.loaded.draft)
        return self._changes

    def action_undo_change(self) -> None:
        # Only where a draft's fields are on screen; elsewhere (a dialog) alt+z does nothing
        # rather than type a "z" into the dialog's field.
        undo = getattr(self.screen, "undo_change", None)
        if undo is not None:
            undo()

    # -- shared actions ------------------------------------------------------------------

    def export_dir(self) -> Path:
        """Where F5 writes by default: ``exports`` beside the drafts folder, never the current
        folder (often the repository, where ``git add .`` would stage a ticket text)."""
        return self.store.folder.parent / "exports"

    def export_artifact(self, name: str, text: str, suffix: str) -> None:
        """F5: ask for a path (default in ``export_dir``), confirm an overwrite or a path
        inside a git work tree, then write the file private (0600)."""
        self._export(name, text, suffix)

    @work(exclusive=True, group="export")
    async def _export(self, name: str, text: str, suffix: str) -> None:
        from .screens.modals import ConfirmScreen, PromptScreen

        draft = self.loaded.draft if self.loaded else None
        stem = f"{draft.backlog.jira_key or draft.id}-{name}" if draft else name
        stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in stem)[:120]
        default = str(self.export_dir() / f"{stem}{suffix}")
        answer = await self.push_screen_wait(PromptScreen(self.t("export_path"), default))
        if not answer or not answer.strip():
            return
        target = Path(answer.strip()).expanduser()
        if not target.is_absolute():
            target = Path.cwd() / target
        shown = visible_line(str(target))
        if target.exists() and not await self.push_screen_wait(
                ConfirmScreen(self.t("export.overwrite_q", path=shown), self.t("yes"), self.t("no"))):
            return
        root = git_work_tree(target.parent)
        if root is not None and not await self.push_screen_wait(
                ConfirmScreen(self.t("export.git_q", path=shown, root=visible_line(str(root))),
                              self.t("yes"), self.t("no"))):
            return
        try:
            write_private(target, text)
        except OSError as exc:
            self.say(self.t("export_failed", path=target, error=exc.strerror or exc), severity="error", timeout=10)
            return
        self.say(self.t("exported", path=target), timeout=5)

    def confirm(self, question: str, yes: str, no: str, answered: Callable[[bool | None], None]) -> None:
        """The app's one yes/no dialog, for widgets (which do not import screens)."""
        from .screens.modals import ConfirmScreen

        self.push_screen(ConfirmScreen(question, yes, no), answered)

    def ask_note(self) -> None:
        from .screens.modals import PromptScreen

        def add(answer: str | None) -> None:
            if answer and answer.strip() and self.loaded is not None:
                self.loaded.draft.add_event(answer.strip(), source="user")
                self.mark_dirty()
                self.say(self.t("recorded", what=answer.strip()), timeout=3)

        self.push_screen(PromptScreen(self.t("note_prompt")), add)

    def show_help(self, phase: str) -> None:
        """The help screen: what the phase is for, how the wizard is driven, this screen's keys
        (widgets/commands.py, the registry the palette and the footer share)."""
        from .screens.modals import HelpScreen
        from .widgets.commands import help_text

        self.push_screen(HelpScreen(help_text(self, self.screen, phase)))

    def get_system_commands(self, screen):
        """The palette's commands as Textual's SystemCommand (the palette itself uses the
        registry's provider, which keeps this order and ranks Textual's own after the app's)."""
        from .widgets.commands import palette_commands

        for command in palette_commands(self, screen):
            yield SystemCommand(command.title, command.help, command.callback)


def _palette_provider():
    from .widgets.commands import HotfixCommands

    return HotfixCommands


def _pump_idle(node) -> bool:
    """True when a widget (or the app) has nothing queued and is not handling a message: its
    task waits for the next one. Textual's queue keeps no count of messages in hand, so
    this asks whether the task is parked on the queue's "ready" event."""
    if not node._running:
        return node._message_queue.empty()
    queue = node._message_queue
    return queue.empty() and node._pending_message is None and bool(queue.ready_event._waiters)


def git_work_tree(folder: Path) -> Path | None:
    """The git work tree ``folder`` is inside (a plain walk up for ``.git``), or None."""
    folder = Path(folder).expanduser().absolute()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def write_private(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` readable by the owner only (0600), atomically.

    A link at ``target`` is replaced, not followed, and an existing file's wider mode is
    not inherited; a failed write leaves the old file whole.
    """
    from .store import replace_atomically

    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    replace_atomically(target, text.encode("utf-8"), 0o600)
