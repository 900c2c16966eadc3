"""rankaudit: audit the methodology of city rankings.

The Python API (`load_spec`, `audit`, `load_config`, `with_rules`, `SpecError`, and the result
types) is importable from here; each name is imported on first use, so that `import rankaudit`
and `rankaudit validate` stay light (no pydantic models, numpy or pandas until they are needed).
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from rankaudit.api import audit, load_config, load_spec, with_rules
    from rankaudit.audit import audit_file
    from rankaudit.config import Config
    from rankaudit.diagnostics import Diagnostic, SpecError
    from rankaudit.result import AuditResult, Finding
    from rankaudit.spec.load import LoadedSpec
    from rankaudit.spec.models import Spec

# public name -> module that defines it (`audit` is special: see _Package)
_LAZY = {
    "load_spec": "rankaudit.api",
    "load_config": "rankaudit.api",
    "with_rules": "rankaudit.api",
    "audit_file": "rankaudit.audit",
    "Config": "rankaudit.config",
    "Diagnostic": "rankaudit.diagnostics",
    "SpecError": "rankaudit.diagnostics",
    "AuditResult": "rankaudit.result",
    "Finding": "rankaudit.result",
    "LoadedSpec": "rankaudit.spec.load",
    "Spec": "rankaudit.spec.models",
}

__all__ = [
    "AuditResult", "Config", "Diagnostic", "Finding", "LoadedSpec", "Spec", "SpecError", "__version__", "audit",
    "audit_file", "load_config", "load_spec", "with_rules",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'rankaudit' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


class _CallableAuditModule(ModuleType):
    """`rankaudit.audit` is both the engine's module and the API's function: calling the module runs
    `rankaudit.api.audit`, while `rankaudit.audit.audit_file` and `from rankaudit.audit import ...`
    keep working as before."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from rankaudit.api import audit

        return audit(*args, **kwargs)


class _Package(ModuleType):
    """The `rankaudit` package itself. Importing the submodule `rankaudit.audit` sets the package's
    `audit` attribute to that module, which would replace the API function; this property makes
    every `rankaudit.audit` the module made callable instead, whichever was imported first."""

    @property
    def audit(self) -> Any:
        module = import_module("rankaudit.audit")
        if not isinstance(module, _CallableAuditModule):
            module.__class__ = _CallableAuditModule
        return module

    @audit.setter
    def audit(self, value: Any) -> None:
        # the import system assigns the submodule here; the getter already returns it
        pass


sys.modules[__name__].__class__ = _Package
