"""What a rule's ``fix_node`` may use while it rewrites one module."""
from __future__ import annotations

import ast
from typing import Any, Optional, Tuple

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
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
                 path: str = "<unknown>") -> None:
        self.settings = settings
        self.target_version: Tuple[int, int] = settings.target_version
        self.path = path
        self._wrapper = wrapper
        self._tree = tree
        self._view: Optional[ModuleView] = None
        self._names: dict = {}
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
        name = self._names.get(module)
        if name is None:
            name = self._bound_name(module)
            if name is None:
                name = module.split(".", 1)[0]
                self.add_import(module)
            self._names[module] = name
        return name

    def _bound_name(self, module: str) -> Optional[str]:
        bindings = self.view.module_scope.bindings
        for name, entries in bindings.items():
            last = entries[-1]
            if (last.kind == "import" and isinstance(last.node, ast.Import)
                    and any(_binds_module(alias, module, name) for alias in last.node.names)):
                return name
        return None

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
        if self.codemod.scratch.get(AddImportsVisitor.CONTEXT_KEY):
            module = AddImportsVisitor(self.codemod).transform_module(module)
        if self.codemod.scratch.get(RemoveImportsVisitor.CONTEXT_KEY):
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


def _binds_module(alias: ast.alias, module: str, name: str) -> bool:
    if alias.asname:
        return alias.name == module and alias.asname == name
    # ``import asyncio.subprocess`` binds ``asyncio`` too
    return name == module and (alias.name == module or alias.name.startswith(module + "."))
