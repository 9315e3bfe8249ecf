"""
Sphinx extension: the ``cli-reference`` directive renders the ``communitykit`` command line.

Everything comes from the argparse parser (:func:`communitykit.cli.build_parser`) at build time:
every subcommand and nested action, its usage line, description, positional arguments and
options with their defaults and choices. A new option or command appears in the docs without
anyone editing a page, so the reference cannot drift from the code.

Each command gets a section with the label ``cli-<command>`` (``cli-kpis-list`` for a nested
action), so other pages link to it with ``{ref}`cli-report```.
Run this file as a script to print the same reference as plain text.
"""

# argparse has no public API to walk a parser; its private attributes are stable since 3.2.
# ruff: noqa: SLF001

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ArgumentDoc", "CommandDoc", "command_docs", "setup"]

_OPTION_RE = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")

#: Line width of the rendered usage (fixed, so the output does not depend on the terminal).
WIDTH = 88


@dataclass(frozen=True)
class ArgumentDoc:
    """One positional argument or option as the reference shows it."""

    invocation: str
    help: str
    default: str | None = None
    choices: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class CommandDoc:
    """One command (``("report",)``) or nested action (``("kpis", "list")``)."""

    path: tuple[str, ...]
    summary: str
    description: str
    usage: str
    groups: tuple[tuple[str, tuple[ArgumentDoc, ...]], ...] = ()
    subcommands: tuple[str, ...] = field(default=())

    @property
    def name(self) -> str:
        """The command as typed: ``communitykit kpis list``."""
        return " ".join(("communitykit", *self.path))

    @property
    def label(self) -> str:
        """The cross-reference label: ``cli-kpis-list``."""
        return "-".join(("cli", *self.path)) if self.path else "cli"


def _formatter(parser: argparse.ArgumentParser) -> argparse.HelpFormatter:
    return argparse.HelpFormatter(prog=parser.prog, width=WIDTH, max_help_position=32)


def _usage(parser: argparse.ArgumentParser) -> str:
    formatter = _formatter(parser)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups)
    return formatter.format_help().strip()


def _default(action: argparse.Action) -> str | None:
    if action.nargs == 0 or action.default in (None, argparse.SUPPRESS, [], ()):
        return None
    if isinstance(action.default, (list, tuple)):
        return " ".join(str(v) for v in action.default)
    return str(action.default)


def _argument(parser: argparse.ArgumentParser, action: argparse.Action) -> ArgumentDoc:
    formatter = _formatter(parser)
    text = formatter._expand_help(action) if action.help else ""
    choices: tuple[str, ...] = ()
    if action.choices is not None and not isinstance(action, argparse._SubParsersAction):
        choices = tuple(str(c) for c in action.choices)
    return ArgumentDoc(
        invocation=formatter._format_action_invocation(action),
        help=" ".join(text.split()),
        default=None if "(default:" in text else _default(action),
        choices=choices,
        required=bool(action.option_strings) and bool(action.required),
    )


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return None


def command_docs(
    parser: argparse.ArgumentParser | None = None, path: tuple[str, ...] = (), summary: str = ""
) -> list[CommandDoc]:
    """Return the documentation of ``parser`` and of every subcommand below it, depth first."""
    if parser is None:
        from communitykit.cli import build_parser

        parser = build_parser()
    sub = _subparsers(parser)
    helps: dict[str, str] = {}
    children: list[tuple[str, argparse.ArgumentParser]] = []
    if sub is not None:
        helps = {a.dest: a.help or "" for a in sub._choices_actions}
        seen: set[int] = set()
        for name, child in sub.choices.items():
            if id(child) not in seen:  # aliases point at the same parser
                seen.add(id(child))
                children.append((name, child))
    groups = []
    for group in parser._action_groups:
        arguments = tuple(
            _argument(parser, a)
            for a in group._group_actions
            if a.help is not argparse.SUPPRESS
            and not isinstance(a, argparse._SubParsersAction)
            and not (path and isinstance(a, argparse._HelpAction))  # -h is everywhere
        )
        if arguments:
            groups.append((str(group.title), arguments))
    doc = CommandDoc(
        path=path,
        summary=" ".join(summary.split()),
        description=" ".join((parser.description or summary).split()),
        usage=_usage(parser),
        groups=tuple(groups),
        subcommands=tuple(name for name, _ in children),
    )
    out = [doc]
    for name, child in children:
        out.extend(command_docs(child, (*path, name), helps.get(name, "")))
    return out


def _directive() -> type:
    """Build the directive class (lazily, so this module imports without Sphinx)."""
    from docutils import nodes
    from docutils.parsers.rst import Directive

    def paragraph(text: str) -> Any:
        # options named in the text become literals (and escape the typographic dashes)
        para = nodes.paragraph()
        for i, part in enumerate(_OPTION_RE.split(text)):
            if part:
                para += nodes.literal(text=part) if i % 2 else nodes.Text(part)
        return para

    class Reference(Directive):
        """Insert one section per ``communitykit`` command, generated from the parser."""

        has_content = False

        def run(self) -> list[Any]:
            document = self.state.document
            docs = command_docs()
            top: list[Any] = []
            sections: dict[tuple[str, ...], Any] = {}
            for doc in docs:
                if not doc.path:
                    top.append(paragraph(doc.description))
                    top.append(nodes.literal_block(doc.usage, doc.usage, language="none"))
                    top.append(self._index(docs))
                    top.extend(self._groups(doc, paragraph))
                    continue
                section = nodes.section(ids=[doc.label], names=[doc.label])
                section += nodes.title(text=doc.name)
                section += paragraph(doc.description)
                section += nodes.literal_block(doc.usage, doc.usage, language="none")
                if doc.subcommands:
                    para = nodes.paragraph()
                    para += nodes.Text("Actions: ")
                    for i, name in enumerate(doc.subcommands):
                        if i:
                            para += nodes.Text(", ")
                        para += nodes.literal(text=name)
                    para += nodes.Text(" (each below).")
                    section += para
                for node in self._groups(doc, paragraph):
                    section += node
                document.note_explicit_target(section)
                parent = sections.get(doc.path[:-1])
                if parent is None:
                    top.append(section)
                else:
                    parent += section
                sections[doc.path] = section
            return top

        @staticmethod
        def _index(docs: list[CommandDoc]) -> Any:
            """A list of every command with its one-line summary, linking to its section."""
            items = nodes.bullet_list()
            for doc in docs:
                if not doc.path:
                    continue
                para = nodes.paragraph()
                para += nodes.reference("", "", nodes.literal(text=doc.name), refid=doc.label)
                if doc.summary:
                    para += nodes.Text(" — " + doc.summary)
                items += nodes.list_item("", para)
            return items

        @staticmethod
        def _groups(doc: CommandDoc, paragraph: Any) -> list[Any]:
            out: list[Any] = []
            for title, arguments in doc.groups:
                out.append(nodes.rubric(text=title[:1].upper() + title[1:]))
                dl = nodes.definition_list()
                for arg in arguments:
                    item = nodes.definition_list_item()
                    term = nodes.term()
                    term += nodes.literal(text=arg.invocation)
                    item += term
                    definition = nodes.definition()
                    text = arg.help or "(no description)"
                    if arg.required:
                        text += " Required."
                    definition += paragraph(text)
                    extra = []
                    if arg.choices and "{" not in arg.invocation:
                        extra.append("choices: " + ", ".join(arg.choices))
                    if arg.default is not None:
                        extra.append(f"default: {arg.default}")
                    if extra:
                        definition += paragraph("; ".join(extra).capitalize() + ".")
                    item += definition
                    dl += item
                out.append(dl)
            return out

    return Reference


def setup(app: Any) -> dict[str, Any]:
    """Register the ``cli-reference`` directive."""
    app.add_directive("cli-reference", _directive())
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    for command in command_docs():
        print(command.name)
        print(command.usage)
        for title, arguments in command.groups:
            print(f"  {title}:")
            for argument in arguments:
                print(f"    {argument.invocation:32} {argument.help}")
        print()
