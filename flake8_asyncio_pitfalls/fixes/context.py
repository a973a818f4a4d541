"""What a rule's ``fix_node`` may use while it rewrites one module."""
from __future__ import annotations

import ast
import re
from typing import Any, Optional, Sequence, Set, Tuple

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.helpers import get_absolute_module_from_package_for_import
from libcst.metadata import MetadataWrapper, ParentNodeProvider

from ..analysis import ModuleView
from ..config import Settings


class FixContext:
    """Handed to every ``fix_node`` call of one fixing round.

    ``view`` is the :class:`ModuleView` of the source being fixed (built
    only when a fix asks for it); imports that fixes add or make unused are
    applied once, after the round, by libcst's ``AddImportsVisitor`` and
    ``RemoveImportsVisitor``.
    """

    def __init__(self, wrapper: MetadataWrapper, tree: ast.Module, settings: Settings,
                 path: str = "<unknown>", text: str = "") -> None:
        self.settings = settings
        #: the source being fixed (AST positions index into it)
        self.text = text
        self.target_version: Tuple[int, int] = settings.target_version
        self.path = path
        self._wrapper = wrapper
        self._tree = tree
        self._view: Optional[ModuleView] = None
        self.codemod = CodemodContext(filename=path)
        #: the original (not yet updated) node whose fix is running
        self.original_node: Optional[cst.CSTNode] = None

    @property
    def module(self) -> cst.Module:
        """The module being fixed, as parsed (original nodes)."""
        return self._wrapper.module

    @property
    def view(self) -> ModuleView:
        if self._view is None:
            self._view = ModuleView(self._tree)
        return self._view

    # -- imports -------------------------------------------------------------
    def module_name(self, module: str) -> str:
        """The name the module imports ``module`` under at module level
        (``import asyncio as aio`` gives ``"aio"``); when there is none,
        ``import module`` is scheduled and ``module`` returned."""
        name = self.view.module_alias(module)
        if name is None:
            name = module.split(".", 1)[0]
            self.add_import(module)
        return name

    def add_import(self, module: str, obj: Optional[str] = None,
                   asname: Optional[str] = None) -> None:
        """``import module`` / ``from module import obj`` unless already there."""
        AddImportsVisitor.add_needed_import(self.codemod, module, obj, asname)

    def remove_import(self, module: str, obj: Optional[str] = None,
                      asname: Optional[str] = None) -> None:
        """Remove ``import module`` / ``from module import obj`` if the fixed
        module no longer uses it."""
        RemoveImportsVisitor.remove_unused_import(self.codemod, module, obj, asname)

    def finish_imports(self, module: cst.Module) -> cst.Module:
        scratch = self.codemod.scratch
        if scratch.get(AddImportsVisitor.CONTEXT_KEY):
            # It needs no metadata: visiting the fresh tree spares
            # transform_module's deep copy of it.
            module = MetadataWrapper(module, unsafe_skip_copy=True).visit(
                AddImportsVisitor(self.codemod))
        if scratch.get(RemoveImportsVisitor.CONTEXT_KEY):
            # Scope analysis is costly (minutes on a 50,000-line file): skip
            # names the code still mentions (other than as an attribute, in
            # ``from name import``, in ``import name as other`` or as the
            # name a def or class binds), and remove without it names that
            # no identifier or string of the fixed code mentions at all.
            code = module.code
            entries = [
                entry for entry in scratch[RemoveImportsVisitor.CONTEXT_KEY]
                if len(re.findall(rf"(?<![.\w])(?<!def )(?<!class ){re.escape(_bound(*entry))}\b"
                                  rf"(?!\s+(?:import|as)\b)", code)) <= 1]
            if entries:
                mentioned = _identifiers(code)
                unused = [entry for entry in entries
                          if mentioned is not None and _bound(*entry) not in mentioned]
                if unused:
                    module = module.visit(_RemoveUnusedImports(self.codemod, unused))
                scratch[RemoveImportsVisitor.CONTEXT_KEY] = [
                    entry for entry in entries if entry not in unused]
                if scratch[RemoveImportsVisitor.CONTEXT_KEY]:
                    module = RemoveImportsVisitor(self.codemod).transform_module(module)
        return module

    # -- metadata and parsing ---------------------------------------------------
    def metadata(self, provider: Any, original_node: cst.CSTNode) -> Any:
        """libcst metadata (``ParentNodeProvider``, ``ScopeProvider``...) of
        an original node of the module, resolved once per provider."""
        return self._wrapper.resolve(provider)[original_node]

    def parent(self, original_node: Optional[cst.CSTNode] = None) -> cst.CSTNode:
        """The parent of an original node (default: the node being fixed)."""
        return self.metadata(ParentNodeProvider, original_node or self.original_node)

    def parse_expression(self, code: str) -> cst.BaseExpression:
        return cst.parse_expression(code, config=self.module.config_for_parsing)

    def parse_statement(self, code: str) -> cst.BaseStatement:
        return cst.parse_statement(code, config=self.module.config_for_parsing)


class _RemoveUnusedImports(RemoveImportsVisitor):
    """libcst's remover (it keeps the commas and parentheses right) for
    imports of names the code does not mention: every import of them is
    unused, no scope analysis needed."""

    METADATA_DEPENDENCIES = ()

    def __init__(self, context: CodemodContext,
                 unused: Sequence[Tuple[str, Optional[str], Optional[str]]]) -> None:
        context.scratch[RemoveImportsVisitor.CONTEXT_KEY] = []
        super().__init__(context, unused)

    def visit_Module(self, node: cst.Module) -> None:
        pass  # instead of the scope analysis

    def on_visit(self, node: cst.CSTNode) -> bool:
        # Imports are statements: expressions need no visit.
        return not isinstance(node, cst.BaseExpression) and super().on_visit(node)

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            if self.unused_module_imports.get(alias.evaluated_name, "") == alias.evaluated_alias:
                self._unused_imports[alias] = node

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        module = get_absolute_module_from_package_for_import(self.context.full_package_name, node)
        wanted = self.unused_obj_imports.get(module or "", ())
        for alias in node.names:
            if (alias.evaluated_name, alias.evaluated_alias) in wanted:
                self._unused_imports[alias] = node


def _identifiers(code: str) -> Optional[Set[str]]:
    """Every name the code mentions as an identifier, and every word of its
    strings (``__all__``, string annotations): a superset of what libcst's
    scope analysis counts as a use (None: the code does not parse)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return None
    names: Set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.update(re.findall(r"\w+", node.value))
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        else:  # match patterns bind by bare name
            name = getattr(node, "name", None) if type(node).__name__.startswith("Match") else None
            rest = getattr(node, "rest", None)
            names.update(n for n in (name, rest) if isinstance(n, str))
    return names


def _bound(module: str, obj: Optional[str] = None, asname: Optional[str] = None) -> str:
    """The name an import binds."""
    return asname or obj or module.split(".", 1)[0]
