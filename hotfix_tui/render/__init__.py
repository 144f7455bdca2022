"""Rendering of a draft into the workflow's texts (Markdown and Jira wiki markup)."""

from .artifacts import ARTIFACTS, MARKDOWN_ARTIFACTS, SENT_ARTIFACTS, RenderContext, placeholders, render

__all__ = ["ARTIFACTS", "MARKDOWN_ARTIFACTS", "SENT_ARTIFACTS", "RenderContext", "placeholders", "render"]
