"""Registry of the method vocabulary (see ``base``). Pure standard library: safe for ``validate``.

Normalisations are discovered from the modules of ``rankaudit.stats.methods.normalisations``: adding
one is one new file there that calls :func:`register` (plus its tests). Aggregations, imputations and
outlier treatments are few and fixed; they live in ``builtin``. The denomination step (an indicator
divided by a size column, COINr ``Denominate``) lives in ``denomination``.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING, TypeVar

from rankaudit.stats.methods.base import (
    AggregationMethod,
    ImputationMethod,
    Method,
    MethodError,
    NormalisationMethod,
    NormContext,
    OutlierMethod,
    Param,
    Problem,
)

if TYPE_CHECKING:
    from rankaudit.stats.methods.denomination import DenominationMethod
    from rankaudit.stats.methods.formula import FormulaMethod

M = TypeVar("M", bound=Method)

_REGISTRY: dict[str, dict[str, Method]] = {"normalisation": {}, "aggregation": {}, "imputation": {}, "outliers": {},
                                           "formula": {}, "denomination": {}}
_loaded = False


def register(method: M) -> M:
    """Add a method to the vocabulary (a second method of the same name and category is an error)."""
    table = _REGISTRY[method.category]
    if method.name in table and table[method.name] != method:
        raise MethodError(f"{method.category} {method.name!r} is registered twice")
    table[method.name] = method
    return method


def unregister(category: str, name: str) -> None:
    """Remove a method (tests that register a temporary one clean up with this)."""
    _REGISTRY[category].pop(name, None)


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    from rankaudit.stats.methods import builtin, denomination, formula, normalisations

    del builtin, denomination, formula  # imported for their register() calls
    for info in sorted(pkgutil.iter_modules(normalisations.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):  # shared helpers, not methods
            continue
        importlib.import_module(f"{normalisations.__name__}.{info.name}")


def names(category: str) -> tuple[str, ...]:
    """Registered method names of a category, by ``order`` then registration."""
    return tuple(m.name for m in _ordered(category))


def _ordered(category: str) -> list[Method]:
    _load()
    table = list(_REGISTRY[category].values())
    return sorted(table, key=lambda m: m.order)  # stable: registration order breaks ties


def _get(category: str, name: str) -> Method:
    _load()
    try:
        return _REGISTRY[category][name]
    except KeyError:
        known = ", ".join(_REGISTRY[category])
        raise MethodError(f"unknown {category} {name!r} (known: {known})") from None


def _typed(category: str, name: str, cls: type[M]) -> M:
    method = _get(category, name)
    assert isinstance(method, cls)
    return method


def normalisation(name: str) -> NormalisationMethod:
    return _typed("normalisation", name, NormalisationMethod)


def aggregation(name: str) -> AggregationMethod:
    return _typed("aggregation", name, AggregationMethod)


def imputation(name: str) -> ImputationMethod:
    return _typed("imputation", name, ImputationMethod)


def outliers(name: str) -> OutlierMethod:
    return _typed("outliers", name, OutlierMethod)


def score_formula(name: str) -> FormulaMethod:
    """A score formula (``rankaudit.stats.methods.formula``): ``linear`` for a published linear formula."""
    from rankaudit.stats.methods.formula import FormulaMethod  # it registers itself through this module

    return _typed("formula", name, FormulaMethod)


def denomination_method(name: str = "divide") -> DenominationMethod:
    """The denomination method (``rankaudit.stats.methods.denomination``): ``divide``, COINr's default."""
    from rankaudit.stats.methods.denomination import DenominationMethod  # it registers itself through this module

    return _typed("denomination", name, DenominationMethod)


def spec_params(category: str) -> tuple[Param, ...]:
    """Every parameter a spec may give for a category, first declaration of each name wins."""
    seen: dict[str, Param] = {}
    for m in _ordered(category):
        for p in m.params:
            if p.in_spec:
                seen.setdefault(p.name, p)
    return tuple(seen.values())


__all__ = [
    "AggregationMethod", "ImputationMethod", "Method", "MethodError", "NormContext", "NormalisationMethod",
    "OutlierMethod", "Param", "Problem", "aggregation", "denomination_method", "imputation", "names",
    "normalisation", "outliers", "register", "score_formula", "spec_params", "unregister",
]
