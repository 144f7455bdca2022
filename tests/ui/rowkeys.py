"""Keyboard helpers for row lists (test items, follow-ups, the timeline): one Tab stop, keys for the rest."""

from __future__ import annotations

from .helpers import focus, paste, settle, type_text


async def to_row(pilot, list_id: str, index: int) -> None:
    """Tab to the list, then up/down until the cursor is on row ``index``."""
    await focus(pilot, list_id)
    rows = pilot.app.focused
    for _ in range(len(rows.items) + 2):
        at = rows.row_index()
        if at == index:
            return
        await pilot.press("down" if at is None or at < index else "up")
    raise AssertionError(f"the cursor never reached row {index} of #{list_id}")


async def tick_rows(pilot, list_id: str, indexes) -> None:
    """Space on each row of ``indexes``."""
    for index in indexes:
        await to_row(pilot, list_id, index)
        await pilot.press("space")
        await settle(pilot)


async def fill_dialog(pilot, values: dict, *, use_paste: bool = False) -> None:
    """In an open row dialog: each field (Tab to it) cleared and typed (or pasted); Enter saves."""
    for attr, text in values.items():
        await focus(pilot, f"row-{attr}", limit=20)
        await pilot.press("end", "ctrl+u")
        if use_paste:
            await paste(pilot, text)
        else:
            await type_text(pilot, text)
    await focus(pilot, f"row-{next(iter(values))}", limit=20)
    await pilot.press("enter")
    await settle(pilot)


async def edit_row(pilot, list_id: str, index: int, values: dict, *, use_paste: bool = False) -> None:
    """Enter on row ``index``, then ``values`` into the dialog's fields, Enter to save."""
    await to_row(pilot, list_id, index)
    await pilot.press("enter")
    await settle(pilot)
    await fill_dialog(pilot, values, use_paste=use_paste)


def rows_text(app, list_id: str, width: int = 76) -> str:
    """What a row list shows, as plain text (each row's prompt, rendered)."""
    import io

    from rich.console import Console

    rows = app.screen.query_one(f"#{list_id}")
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    for i in range(rows.option_count):
        console.print(rows.get_option_at_index(i).prompt)
    return console.export_text()
