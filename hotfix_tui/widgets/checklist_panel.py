"""The §10 checklist panel: before / during / after, ticked by hand or by the app (with why)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..model import in_zone
from ..workflow import checklist
from ..textsafe import visible


def _hhmm(value: str) -> str:
    try:
        return in_zone(_dt.datetime.fromisoformat(value)).strftime("%H:%M")
    except ValueError:
        return ""


class ChecklistPanel(OptionList):
    DEFAULT_CSS = """
    ChecklistPanel { border: round $primary-background; height: 1fr; }
    ChecklistPanel:focus { border: round $primary; }
    """

    @dataclass
    class Toggled(Message):
        item_id: str

    _signature: tuple = ()

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
                    why = "auto" if state.by == "auto" else "✓"
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
