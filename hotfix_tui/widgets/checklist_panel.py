"""The §10 checklist panel: before / during / after, ticked by hand or by the app (with why).

Keys of its own (shown in the footer while it has focus): f3 (the screen's) shows and
focuses it, up/down move, space ticks the highlighted item by hand (an item a fact decides
asks why, as the screen's ``_tick`` does), esc goes back to the form.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..model import in_zone
from ..workflow import checklist
from ..textsafe import visible
from .localkeys import LocalKeys


def _hhmm(value: str) -> str:
    try:
        return in_zone(_dt.datetime.fromisoformat(value)).strftime("%H:%M")
    except ValueError:
        return ""


class ChecklistPanel(LocalKeys, OptionList):
    DEFAULT_CSS = """
    ChecklistPanel { border: round $primary-background; height: 1fr; }
    ChecklistPanel:focus { border: round $primary; }
    """

    BINDINGS = [
        Binding("space", "tick", "key.cl_tick"),
        Binding("escape", "back", "key.cl_back"),
    ]

    @dataclass
    class Toggled(Message):
        item_id: str

    _signature: tuple = ()

    def on_mount(self) -> None:
        translate = getattr(self.app, "translate_bindings", None)
        if translate is not None:
            translate(self)
        self._came_from = None
        self.watch(self.screen, "focused", self._remember)

    def _remember(self, focused) -> None:
        # Where the cursor was in the form, so esc goes back there.
        if focused is not None and focused is not self and any(a.id == "form" for a in focused.ancestors):
            self._came_from = focused

    def action_tick(self) -> None:
        if self.highlighted is None:
            return
        option = self.get_option_at_index(self.highlighted)
        if option.id and not option.disabled:
            self.post_message(self.Toggled(option.id))

    def action_back(self) -> None:
        """Back to the form: the pane it replaced at narrow widths, and a field to type in."""
        screen = self.screen
        if getattr(screen, "pane", "form") != "form":
            screen.pane = "form"
            screen._apply_layout()
        forms = screen.query("#form")
        form = forms.first() if forms else None
        target = None
        if form is not None:
            before = self._came_from
            if before is not None and before.is_attached and form in before.ancestors and before.focusable:
                target = before
            else:
                target = next((w for w in form.query("*") if w.focusable), None)
        if target is not None:
            target.focus()
        else:
            screen.focus_next()

    def rebuild(self) -> None:
        app = self.app
        draft = app.loaded.draft
        lang = app.config.ui.language
        signature = (lang, tuple(sorted((k, v.checked, v.at, v.by, v.reason) for k, v in draft.checklist.items())))
        if signature == self._signature:
            return  # rebuilding the options re-lays out the panel; skip when nothing changed
        self._signature = signature
        done, total = checklist.counts(draft)
        self.border_title = f"{app.t('pane.checklist')} {done}/{total}"
        highlighted = self.highlighted
        options: list[Option] = []
        for stage in (checklist.BEFORE, checklist.DURING, checklist.AFTER):
            ko, en = checklist.STAGE_LABELS[stage]
            options.append(Option(Text(en if lang == "en" else ko, style="bold"), disabled=True))
            for item in checklist.ITEMS:
                if item.stage != stage:
                    continue
                state = draft.checklist.get(item.id)
                line = Text()
                if state and state.checked:
                    line.append("☑ ", style="green")
                    line.append(item.label(lang))
                    why = app.t("rows.cl_auto") if state.by == "auto" else "✓"  # the app ticked it: why follows
                    detail = f" {why} {_hhmm(state.at)}"
                    if state.reason:
                        detail += f" · {visible(state.reason)}"
                    line.append(detail, style="dim")
                else:
                    line.append("☐ ")
                    line.append(item.label(lang))
                options.append(Option(line, id=item.id))
        self.clear_options()
        self.add_options(options)
        # Keep the cursor where it was; start on the first item (not its stage heading).
        self.highlighted = highlighted if highlighted is not None and highlighted < len(options) else 1

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Toggled(event.option.id))
