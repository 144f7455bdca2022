"""What a phase screen costs before its first frame (issue 12, "`hotfix open` first usable
frame ≤ 1.5× the bare app"), and that the cheaper first frame shows the same things."""

from __future__ import annotations

import subprocess
import sys

from textual.css.stylesheet import Stylesheet
from textual.widgets._footer import FooterKey

from hotfix_tui.screens.phase import PhaseScreen
from hotfix_tui.widgets.preview import Preview

from .helpers import count_markdown_renders, example_at, make_app, settle


def _labels(app) -> dict[str, bool]:
    """Each form field's label text → whether it is drawn highlighted (bold, in the accent
    colour; the others are muted)."""
    return {str(label.render()).strip(): bool(label.rich_style.bold) for label in app.screen.query(".field-label")}


async def test_a_fields_label_is_highlighted_while_the_field_has_focus_and_only_then(drafts_dir, example_path):
    """The label of the field with focus is drawn highlighted. The highlight stayed
    on the field that had focus when the screen was built: Textual restyles on a focus change
    only under an ancestor with its own :focus-within rule, and the label's rule sat on the
    label."""
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "triage"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        seen = []
        for _ in range(3):
            highlighted = [text for text, lit in _labels(app).items() if lit]
            focused_label = str(app.focused.parent.query_one(".field-label").render()).strip()
            seen.append(focused_label)
            assert highlighted == [focused_label]
            await pilot.press("tab")
            await settle(pilot)
        assert len(set(seen)) == 3  # three different fields had focus in turn


async def test_opening_at_80_columns_lays_out_no_markdown_until_the_preview_is_shown(drafts_dir, example_path,
                                                                                    monkeypatch):
    """At 80 columns the preview is a hidden pane: the screen is built with it hidden, so
    opening a draft renders no Markdown (it was rendered once on mount, then hidden). F2
    shows it rendered at once."""
    renders = count_markdown_renders(monkeypatch)
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "backlog"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        preview = app.screen.query_one(Preview)
        assert not preview.display
        assert renders == []
        await pilot.press("f2")
        await settle(pilot)
        assert preview.display and len(renders) == 1
        assert preview._shown == preview._wanted  # what the preview shows is the draft's text now


async def test_no_widget_is_styled_before_it_is_mounted_nor_the_screen_again_when_first_shown(
        drafts_dir, example_path, monkeypatch):
    """Every node of a phase screen is styled once when mounted. Before, widgets built with
    ``compact=True`` were styled while not yet in the DOM, every footer key twice more after
    its mount (compact on, then off), and the whole screen again when first shown."""
    styled: list = []
    real = Stylesheet.apply

    def counting(self, node, *args, **kwargs):
        styled.append((node, node.is_attached))
        return real(self, node, *args, **kwargs)

    monkeypatch.setattr(Stylesheet, "apply", counting)
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "post"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PhaseScreen)
        assert [node for node, attached in styled if not attached] == []
        keys = list(screen.query(FooterKey))
        assert keys
        for key in keys:
            assert sum(1 for node, _ in styled if node is key) == 1, key
        # The form's fields: styled when mounted, plus only what a focus change restyles.
        fields = list(screen.query(".field"))
        focus_within = {node for node in fields if app.focused in node.walk_children()}
        for field in fields:
            times = sum(1 for node, _ in styled if node is field)
            assert times <= (3 if field in focus_within else 1), (field, times)


def test_markdown_it_is_not_imported_to_open_a_phase_screen():
    """markdown-it (a tenth of the time to `hotfix open`'s first frame) is imported by the
    first Markdown render, not by loading the screens."""
    code = ("import sys, hotfix_tui.app; from hotfix_tui.app import phase_screen; import hotfix_tui.screens.post;"
            "print(sorted(m for m in ('markdown_it', 'rich.markdown') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_every_followed_field_is_declared_by_the_screen_its_path_names():
    """Only the shown phase's screen is imported, so a field another phase follows (its
    placeholder names it: "← 백로그 근본 원인: …") must be found from its path alone: each
    ``follows`` is declared by the screen of the phase its path starts with. Checked in a
    fresh interpreter per path (in this one every screen is imported already)."""
    from hotfix_tui.screens.phase import SCREENS, screen_class

    followed = sorted({spec.follows for phase in SCREENS for spec in screen_class(phase).FIELDS if spec.follows})
    assert followed
    for path in followed:
        code = ("import sys; from hotfix_tui.screens.phase import declared_by; from hotfix_tui.widgets.fields import SPECS;"
                f"declared_by({path!r}); print({path!r} in SPECS)")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip().splitlines()[-1] == "True", path


async def test_a_phase_opened_first_names_the_field_it_follows(drafts_dir, example_path):
    """Opening a draft at §8 directly (no other phase's screen built): the empty RCA root
    cause's placeholder names the Backlog field it takes its text from, never its path."""
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "post"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        placeholder = app.screen.query_one("#f-rca--root_cause").placeholder
        assert "backlog.root_cause" not in placeholder
        assert app.t("phase.backlog") in placeholder


async def test_the_form_below_the_first_screenful_is_mounted_right_after_the_first_frame(drafts_dir, example_path,
                                                                                        monkeypatch):
    """§8 at 80x24: the report fields and the timeline (two screens below) are not built
    before the first frame; right after it they are in place, in the form's order, their
    findings shown, and focus lands on the first empty required field."""
    from hotfix_tui.screens.post import PostScreen

    at_mount = {}
    real = PostScreen.on_mount

    def recording(self):
        at_mount["report"] = bool(self.query("#f-report--summary"))
        at_mount["root cause"] = bool(self.query("#f-rca--root_cause"))
        return real(self)

    monkeypatch.setattr(PostScreen, "on_mount", recording)
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "post"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert at_mount == {"report": False, "root cause": True}
        assert not screen.later_pending
        stops = [w.id for w in screen._form_stops() if (w.id or "").startswith("f-")]
        expected = [f"f-{spec.path.replace('.', '--')}" for spec in PostScreen.FIELDS + PostScreen.REPORT_FIELDS]
        assert [s for s in stops if s in expected] == expected  # the Tab order is the form's order
        assert screen.query_one("#timeline-rows")
        assert app.focused.id == "f-rca--root_cause"
        assert screen.query_one("#form").scroll_y == 0  # in view already: the form did not slide


async def test_a_landing_field_below_the_first_screenful_is_scrolled_into_view(drafts_dir):
    """The first empty required field far down the Backlog form (in the part built after the
    first frame) has focus and is on screen once the form has landed."""
    from hotfix_tui.model import Backlog, Draft
    from hotfix_tui.store import DraftStore

    b = Backlog(summary="MetalLB IP 풀 충돌", priority="Critical", labels=["hotfix"], problem="IP 풀 소진",
                since="2025-10-19 14:30", impact="외부 노출 불가", repro_steps=["kubectl get svc -A"],
                root_cause="풀 범위 /28", fix_plan=["풀 확장"], rollback_plan="")
    path = DraftStore(drafts_dir).create(Draft(phase="backlog", backlog=b)).path
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = app.screen.query_one("#form")
        target = app.focused
        assert target.id == "f-backlog--rollback_plan"
        assert target.region.y - form.region.y + form.scroll_y >= form.size.height  # below the first screenful
        assert form.scroll_y > 0
        assert form.region.contains_region(target.region)


async def test_keys_typed_before_the_form_lands_wait_and_go_where_it_lands(drafts_dir, example_path):
    """While a phase screen has not landed (its form's lower part still coming), typed keys
    are held, then typed into the field focus lands on — not into whichever field had focus."""
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "post"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.landed = False
        screen.set_focus(screen.query_one("#f-rca--process_improvement"))
        before = screen.query_one("#f-rca--process_improvement").text
        await pilot.press("x", "y")
        await pilot.pause()
        assert app.keys_pending
        assert screen.query_one("#f-rca--process_improvement").text == before
        screen.land_focus()
        await settle(pilot)
        assert not app.keys_pending
        assert screen.query_one("#f-rca--root_cause").text == "xy"
        assert screen.query_one("#f-rca--process_improvement").text == before


async def test_the_check_service_is_built_after_the_first_frame_and_the_kube_context_still_shown(
        drafts_dir, example_path, monkeypatch):
    """§8 needs only Jira before its first frame; the check service (terraform, kubectl) is
    built right after it, and the context bar goes from "reading" to what kubectl said."""
    from hotfix_tui.config import Config
    from hotfix_tui.services import Services

    at_mount = {}
    real = PhaseScreen.on_mount

    def recording(self):
        at_mount["built"] = [name for name in ("jira", "github", "git", "checks") if self.app.services.built(name)]
        at_mount["bar"] = str(self.query_one("#context").render())
        return real(self)

    monkeypatch.setattr(PhaseScreen, "on_mount", recording)
    monkeypatch.setenv("PATH", "")  # no kubectl here: the bar says so once it has looked
    config = Config()
    app = make_app(drafts_dir, config, services=Services.from_config(config),
                   draft_path=example_at(drafts_dir, example_path, "post"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert at_mount["built"] == ["jira"]
        assert app.t("kube.reading") in at_mount["bar"]
        assert app.services.built("checks")
        bar = str(app.screen.query_one("#context").render())
        assert app.t("kube.missing") in bar and app.t("kube.reading") not in bar


async def test_collections_are_back_on_once_the_first_screen_is_up(drafts_dir, example_path):
    """`hotfix` starts with Python's garbage collection off (cli.cmd_tui: a collection every
    700 new objects was over a tenth of the time to the first frame); the app turns it back
    on once its first screen is drawn, so a long session never runs without it."""
    import gc

    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "post"))
    gc.disable()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert gc.isenabled()
    finally:
        gc.enable()
