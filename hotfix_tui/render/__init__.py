"""Rendering of a draft into the workflow's texts (Markdown and Jira wiki markup)."""

from .artifacts import ARTIFACTS, MARKDOWN_ARTIFACTS, RenderContext, render

__all__ = ["ARTIFACTS", "MARKDOWN_ARTIFACTS", "RenderContext", "render"]
