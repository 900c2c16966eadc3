"""Checks a type system cannot make: ids, weight sums, dates, paths, method compatibility.

Each check yields located diagnostics through the same position index as schema errors, so a
user sees one kind of message whatever went wrong.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from pathlib import Path as FsPath

from rankaudit.diagnostics import Diagnostic
from rankaudit.diagnostics_codes import (
    BAD_LEVEL,
    COUNT_MISMATCH,
    DATES_ORDER,
    DUPLICATE_ID,
    EQUAL_MISMATCH,
    FUTURE_YEAR,
    MISPLACED_LIST_SIZE,
    MISSING_FILE,
    MISSING_SNAPSHOT,
    MISSING_TARGET,
    PATH_ESCAPE,
    UNCERTAINTY_NO_DATA,
    UNDECLARED_DENOMINATOR,
    UNKNOWN_SOURCE,
    UNRESOLVED_NAME,
    UNSAFE_URL,
    UNVERIFIED_UNDISCLOSED,
    WEIGHT_SUM,
    ZERO_IN_MEAN,
)
from rankaudit.evidence import publisher_documents, verified_undisclosed
from rankaudit.spec.models import (
    ABSENT,
    Citation,
    Group,
    Indicator,
    JointWeight,
    MissingData,
    Normalisation,
    NormalisationBase,
    Spec,
    Structure,
    YearRange,
)
from rankaudit.spec.tree import WEIGHT_TOLERANCE, NodeRef, Tree
from rankaudit.spec.yamlsafe import Path, PositionIndex
from rankaudit.stats import methods as vocabulary


def check(spec: Spec, positions: PositionIndex, spec_dir: FsPath | None, tree: Tree | None = None) -> list[Diagnostic]:
    tree = tree or Tree(spec)
    found: list[Diagnostic] = []
    checkers = (_ids, _weights, _years, _methods, _method_targets, _citations, _cities, _data, _uncertainty,
                _designs, _evidence, _denominators)
    for checker in checkers:
        found.extend(checker(spec, tree, positions, spec_dir))
    found.sort(key=lambda d: (d.line or 0, d.column or 0))
    return found


def _ids(spec: Spec, tree: Tree, pos: PositionIndex, _dir: FsPath | None) -> Iterator[Diagnostic]:
    seen: dict[str, NodeRef] = {}
    for ref in tree.nodes[1:]:
        first = seen.get(ref.id)
        if first is not None:
            line = pos.span((*first.path, "id"))
            where = f" (first at line {line.line})" if line else ""
            yield pos.diagnostic(
                DUPLICATE_ID, f"id {ref.id!r} is used twice{where}; ids must be unique", (*ref.path, "id")
            )
        else:
            seen[ref.id] = ref
    if "index" in seen:
        yield pos.diagnostic(DUPLICATE_ID, "id 'index' is reserved for the index itself", (*seen["index"].path, "id"))


def _weights(spec: Spec, tree: Tree, pos: PositionIndex, _dir: FsPath | None) -> Iterator[Diagnostic]:
    for group in tree.groups:
        kids = tree.children_of(group)
        weights = [k.node.weight for k in kids]
        numeric = [float(w) for w in weights if isinstance(w, int | float)]
        mode = tree.weighting(group)
        where = "at the top of the index" if group.depth == 0 else f"under {group.id!r}"
        anchor = _weighting_anchor(spec, group, pos)
        if numeric and len(numeric) == len(weights) and sum(numeric) == 0:
            yield pos.diagnostic(WEIGHT_SUM, f"weights {where} are all zero", anchor)
            continue
        if mode == "explicit" and numeric and len(numeric) == len(weights):
            total = math.fsum(numeric)
            # a partial transcription may list only some of a group's children: their weights sum to less
            partial = not spec.structure.complete and total < 1
            if abs(total - 1) > WEIGHT_TOLERANCE and not partial:
                yield pos.diagnostic(
                    WEIGHT_SUM,
                    f"weights {where} sum to {total:.2f}; expected 1 (or declare them relative)",
                    anchor,
                )
        if mode == "explicit" and numeric and len(numeric) < len(weights):
            total = math.fsum(numeric)
            # weights are never negative: the siblings whose weight is not given can only add to it
            if total > 1 + WEIGHT_TOLERANCE:
                unknown = len(weights) - len(numeric)
                yield pos.diagnostic(
                    WEIGHT_SUM,
                    f"the weights given {where} already sum to {total:.2f}, so they exceed 1 whatever the "
                    + (f"{unknown} undisclosed weights are" if unknown > 1 else "undisclosed weight is"),
                    anchor,
                )
        if mode == "equal" and len(set(numeric)) > 1:
            yield pos.diagnostic(
                EQUAL_MISMATCH, f"weighting {where} is declared equal but the children's weights differ", anchor
            )


def _weighting_anchor(spec: Spec, group: NodeRef, pos: PositionIndex) -> Path:
    """Where a group's weighting is declared: on the group, else in `method`, else the group itself."""
    if (*group.path, "weighting") in pos.values:
        return (*group.path, "weighting")
    if spec.method is not None and spec.method.weighting is not None:
        return ("method", "weighting")
    return group.path


def _years(spec: Spec, tree: Tree, pos: PositionIndex, _dir: FsPath | None) -> Iterator[Diagnostic]:
    year = spec.ranking.publication_year
    # an edition that ranks forecasts (ranking.forecast / structure.forecast) dates them in the future on purpose
    forecast = bool(spec.ranking.forecast or spec.structure.forecast)
    if year is not None and not forecast:
        for ref in tree.indicators:
            node = ref.node
            assert isinstance(node, Indicator)
            ref_year = node.reference_year
            if isinstance(ref_year, YearRange) and ref_year.last > year and not node.projection:
                yield pos.diagnostic(
                    FUTURE_YEAR,
                    f"indicator {ref.id!r} has data from {ref_year.last}, after the publication in {year}; "
                    "if it is a forecast, set `projection: true`",
                    (*ref.path, "reference_year"),
                )
    index_years = spec.structure.reference_year
    if year is not None and not forecast and isinstance(index_years, YearRange) and index_years.last > year:
        yield pos.diagnostic(
            FUTURE_YEAR,
            f"the index's data years reach {index_years.last}, after the publication in {year}",
            ("structure", "reference_year"),
        )
    previous = spec.ranking.previous_published
    published = spec.ranking.published
    if (isinstance(published, str) and published not in ABSENT and isinstance(previous, str) and previous not in ABSENT
            and _later(previous, published)):
        yield pos.diagnostic(
            DATES_ORDER, "the previous edition is dated after this one", ("ranking", "previous_published")
        )


def _later(first: str, second: str) -> bool:
    """Whether partial date `first` is certainly after `second` (compared on the precision both have)."""
    precision = min(len(first), len(second))
    return first[:precision] > second[:precision]


def _methods(spec: Spec, tree: Tree, pos: PositionIndex, _dir: FsPath | None) -> Iterator[Diagnostic]:
    # one message per place the mean is declared: a method default covers every group using it
    offenders_at: dict[Path, tuple[str, list[NodeRef], list[NodeRef]]] = {}
    for group in tree.groups:
        method = tree.aggregation(group)
        if method not in ("geometric", "harmonic"):
            continue
        node = group.node
        assert isinstance(node, Group | Structure)
        anchor = (*group.path, "aggregation") if node.aggregation else ("method", "aggregation")
        _, groups, offenders = offenders_at.setdefault(anchor, (method, [], []))
        for ind in tree.indicators_under(group):
            norm = tree.normalisation(ind)
            if isinstance(norm, Normalisation) and norm.can_yield_zero_or_negative() and ind not in offenders:
                offenders.append(ind)
                if group not in groups:
                    groups.append(group)
    for anchor, (method, _groups, offenders) in offenders_at.items():
        if not offenders:
            continue
        first = offenders[0]
        norm = tree.normalisation(first)
        assert isinstance(norm, Normalisation)
        more = f" and {len(offenders) - 1} more" if len(offenders) > 1 else ""
        yield pos.diagnostic(
            ZERO_IN_MEAN,
            f"a {method} mean needs strictly positive values, but {norm.method} normalisation of {first.id!r}{more} "
            "can yield zero or less (use minmax with lower: 1, or zscore with mean: 10 and sd: 2)",
            anchor,
        )
    reported: set[Path] = set()
    for ind in tree.indicators:
        norm = tree.normalisation(ind)
        where = (
            (*ind.path, "normalisation")
            if isinstance(ind.node, Indicator) and ind.node.normalisation
            else ("method", "normalisation")
        )
        if where in reported or not isinstance(norm, NormalisationBase):
            continue
        reported.add(where)
        for message in _missing_parameters(norm):
            yield pos.diagnostic(MISSING_TARGET, message, where)


def _missing_parameters(norm: NormalisationBase) -> list[str]:
    """Messages for required parameters the spec leaves out (the schema allows it; no index can be built)."""
    if norm.method == "other":
        return []
    return [p.message for p in vocabulary.normalisation(norm.method).problems(norm.values()) if p.missing]


def _method_targets(spec: Spec, tree: Tree, pos: PositionIndex, _dir: FsPath | None) -> Iterator[Diagnostic]:
    if spec.data is not None:
        for ind in tree.indicators:
            norm = tree.normalisation(ind)
            if isinstance(norm, Normalisation) and norm.method == "distance_to_target" and ind.node.target is None:
                yield pos.diagnostic(
                    MISSING_TARGET,
                    f"indicator {ind.id!r} is normalised by distance to target but has no `target`",
                    ind.path,
                )


def walk_citations(value: object, path: Path) -> Iterator[tuple[Citation, Path]]:
    if isinstance(value, Citation):
        yield value, path
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from walk_citations(item, (*path, i))
        return
    fields = getattr(type(value), "model_fields", None)
    if fields is None:
        return
    for name, info in fields.items():
        child = getattr(value, name)
        if child is None:
            continue
        key = info.alias or name
        if isinstance(child, dict):
            for k, v in child.items():
                yield from walk_citations(v, (*path, key, k))
        else:
            yield from walk_citations(child, (*path, key))


def _citation_path(pos: PositionIndex, path: Path) -> Path:
    # a short-form citation (`cite: https://...`) is a scalar; its index 0 does not exist in the file
    if path in pos.values:
        return path
    return path[:-1] if path[-1] == 0 else path


def _citations(spec: Spec, tree: Tree, pos: PositionIndex, _dir: FsPath | None) -> Iterator[Diagnostic]:
    for citation, path in walk_citations(spec, ()):
        where = _citation_path(pos, path)
        if citation.source is not None and citation.source not in spec.sources:
            known = ", ".join(sorted(spec.sources)) or "none defined"
            yield pos.diagnostic(
                UNKNOWN_SOURCE,
                f"citation names source {citation.source!r}, which is not in `sources` (known: {known})",
                where,
            )
        if citation.url is not None and not citation.url.lower().startswith(("http://", "https://")):
            yield _warn(
                pos, UNSAFE_URL, f"citation URL {citation.url[:60]!r} is not http(s); reports will not link it", where
            )
    for key, source in spec.sources.items():
        if source.url is not None and not source.url.lower().startswith(("http://", "https://")):
            yield _warn(
                pos,
                UNSAFE_URL,
                f"source {key!r} has a URL that is not http(s); reports will not link it",
                ("sources", key, "url"),
            )


def _warn(pos: PositionIndex, code: str, message: str, path: Path) -> Diagnostic:
    d = pos.diagnostic(code, message, path)
    return Diagnostic(d.code, d.message, d.file, d.line, d.column, d.end_line, d.end_column, "warning")


def _cities(spec: Spec, tree: Tree, pos: PositionIndex, _dir: FsPath | None) -> Iterator[Diagnostic]:
    members = spec.cities.members
    count = spec.cities.count
    seen: dict[str, int] = {}
    for i, city in enumerate(members or []):
        key = city.id or city.name
        if key in seen:
            field = "id" if city.id else "name"
            yield pos.diagnostic(
                DUPLICATE_ID,
                f"city {key!r} is listed twice (first as item {seen[key] + 1}); ids must be unique",
                ("cities", "list", i, field),
            )
        else:
            seen[key] = i
    if members is not None and isinstance(count, int) and len(members) > count:
        yield pos.diagnostic(
            COUNT_MISMATCH, f"the city list holds {len(members)} cities but `count` says {count}", ("cities", "list")
        )
    stated = spec.structure.indicator_count
    if isinstance(stated, int) and len(tree.indicators) > stated:
        yield pos.diagnostic(
            COUNT_MISMATCH,
            f"the structure lists {len(tree.indicators)} indicators but `indicator_count` says {stated}",
            ("structure", "indicator_count"),
        )


def _data(spec: Spec, tree: Tree, pos: PositionIndex, spec_dir: FsPath | None) -> Iterator[Diagnostic]:
    if spec.data is None:
        return
    for field in ("values", "published"):
        relative = getattr(spec.data, field)
        if relative is None:
            continue
        problem = data_path_problem(relative, spec_dir)
        if problem:
            code = MISSING_FILE if "not found" in problem else PATH_ESCAPE
            yield pos.diagnostic(code, problem, ("data", field))


def _denominators(spec: Spec, tree: Tree, pos: PositionIndex, _dir: FsPath | None) -> Iterator[Diagnostic]:
    """An indicator's `denominator` names a declared size column (`data.denominators`): the values file is
    read for the declared ones only, and a misspelt name must not leave an indicator silently undivided."""
    declared = spec.data.denominators if spec.data is not None else []
    for ind in tree.indicators:
        den = ind.node.denominator if isinstance(ind.node, Indicator) else None
        if den is None or den.column in declared:
            continue
        known = ", ".join(declared) if declared else "none declared"
        yield pos.diagnostic(
            UNDECLARED_DENOMINATOR,
            f"indicator {ind.id!r} is divided by {den.column!r}, which is not one of `data.denominators` ({known})",
            (*ind.path, "denominator"),
        )


def data_path_problem(relative: str, spec_dir: FsPath | None) -> str | None:
    """Why a data path may not be read, or None. Paths stay inside the spec's folder."""
    if os.path.isabs(relative) or relative.startswith(("~", "\\")) or (len(relative) > 1 and relative[1] == ":"):
        return f"data path {relative!r} is absolute; give it relative to the spec's folder"
    parts = FsPath(relative).parts
    if ".." in parts:
        return f"data path {relative!r} leaves the spec's folder ('..' is not allowed)"
    if spec_dir is None:
        return None
    if "\x00" in relative:
        return "data path contains a NUL character"
    try:
        base = spec_dir.resolve()
        resolved = (base / relative).resolve()
        if base != resolved and base not in resolved.parents:
            return f"data path {relative!r} points outside the spec's folder (through a symbolic link)"
        if resolved.is_dir():
            return f"data path {relative!r} is a folder, not a file"
        if not resolved.exists():
            return f"data file {relative!r} not found next to the spec"
        if not resolved.is_file():
            return f"data path {relative!r} is not a regular file"
    except (OSError, RuntimeError, ValueError) as exc:
        return f"data path {relative[:80]!r} cannot be used: {getattr(exc, 'strerror', None) or exc}"
    return None


def _uncertainty(spec: Spec, tree: Tree, pos: PositionIndex, _dir: FsPath | None) -> Iterator[Diagnostic]:
    if spec.uncertainty is None:
        return
    alternatives = [n for n in spec.uncertainty.normalisation if isinstance(n, Normalisation)]
    means = [a for a in spec.uncertainty.aggregation if a in ("geometric", "harmonic")]
    for i, norm in enumerate(spec.uncertainty.normalisation):
        if not isinstance(norm, Normalisation):
            continue
        if means and norm.can_yield_zero_or_negative():
            yield pos.diagnostic(
                ZERO_IN_MEAN,
                f"the uncertainty design pairs a {means[0]} mean with {norm.method} normalisation, which can yield "
                "zero or less (use minmax with lower: 1, or zscore with mean: 10 and sd: 2)",
                ("uncertainty", "normalisation", i),
            )
        if norm.method == "distance_to_target" and any(
            isinstance(ind.node, Indicator) and ind.node.target is None for ind in tree.indicators
        ):
            yield pos.diagnostic(
                MISSING_TARGET,
                "distance-to-target normalisation needs a `target` on every indicator",
                ("uncertainty", "normalisation", i),
            )
        for message in _missing_parameters(norm):
            yield pos.diagnostic(MISSING_TARGET, message, ("uncertainty", "normalisation", i))
    group_column = (spec.data.group_column if spec.data else None) or (
        spec.method.missing_data.group_by
        if spec.method is not None and isinstance(spec.method.missing_data, MissingData)
        else None
    )
    for i, imputation in enumerate(spec.uncertainty.imputation):
        if imputation in ("group_mean", "group_median") and not group_column:
            yield pos.diagnostic(
                MISSING_TARGET,
                f"{imputation} imputation needs a group column (data.group_column or method.missing_data.group_by)",
                ("uncertainty", "imputation", i),
            )
    if means and not alternatives:
        # the alternatives' geometric means run over the method's own normalisation
        default = spec.method.normalisation if spec.method else None
        if isinstance(default, Normalisation) and default.can_yield_zero_or_negative():
            yield pos.diagnostic(
                ZERO_IN_MEAN,
                f"the uncertainty design tries a {means[0]} mean over {default.method} normalisation, which can "
                "yield zero or less",
                ("uncertainty", "aggregation"),
            )
    if spec.data is None:
        yield _warn(pos, UNCERTAINTY_NO_DATA, "an uncertainty design without `data` is never run", ("uncertainty",))
    noise = spec.uncertainty.weights
    if noise is not None and noise.levels:
        deepest = max(g.depth for g in tree.groups)
        for i, level in enumerate(noise.levels):
            if level < 1 or level > deepest + 1:
                yield pos.diagnostic(
                    BAD_LEVEL,
                    f"weight level {level} does not exist; levels run from 1 (the index's children) to {deepest + 1}",
                    ("uncertainty", "weights", "levels", i),
                )


def _designs(spec: Spec, tree: Tree, pos: PositionIndex, _dir: FsPath | None) -> Iterator[Diagnostic]:
    """Checks of the fields that describe designs beyond a weighted hierarchy (issue 11)."""
    if spec.ranking.kind == "continuous" and spec.ranking.snapshot is None:
        yield pos.diagnostic(
            MISSING_SNAPSHOT,
            "a continuously updated ranking (kind: continuous) needs `snapshot`, the date its figures were retrieved",
            ("ranking", "kind"),
        )
    if spec.ranking.kind != "separate_rankings":
        for ref in tree.indicators:
            if ref.node.cities_ranked is not None:
                yield pos.diagnostic(
                    MISPLACED_LIST_SIZE,
                    f"indicator {ref.id!r} gives the size of its own list (`cities_ranked`), which only measures "
                    "ranked separately have (ranking.kind: separate_rankings)",
                    (*ref.path, "cities_ranked"),
                )
    classes = spec.cities.classes
    for i, city in enumerate(spec.cities.members or []):
        if city.class_ is not None and (classes is None or city.class_ not in classes):
            known = ", ".join(classes) if classes else "none declared in cities.classes"
            yield pos.diagnostic(
                UNRESOLVED_NAME, f"city {city.name!r} is in class {city.class_!r}, which is not declared ({known})",
                ("cities", "list", i, "class"),
            )
    formula = spec.method.formula if spec.method is not None else None
    if formula is not None:
        listed = {r.id for r in tree.indicators}
        seen: set[str] = set()
        for i, term in enumerate(formula.terms):
            where = ("method", "formula", "terms", i, "indicator")
            if term.indicator not in listed:
                yield pos.diagnostic(
                    UNRESOLVED_NAME, f"the formula names {term.indicator!r}, which is not a listed indicator", where
                )
            elif term.indicator in seen:
                yield pos.diagnostic(DUPLICATE_ID, f"the formula has two terms for {term.indicator!r}", where)
            seen.add(term.indicator)
        if not any(t.coefficient for t in formula.terms):
            yield pos.diagnostic(WEIGHT_SUM, "every coefficient of the formula is zero", ("method", "formula", "terms"))
    for group in tree.groups:
        joint = getattr(group.node, "joint_weights", None)
        if joint:
            yield from _joint_weights(group, joint, tree, pos)


def _joint_weights(group: NodeRef, joint: list[JointWeight], tree: Tree, pos: PositionIndex) -> Iterator[Diagnostic]:
    """Joint weights name siblings, each at most once and without a weight of its own; with the explicit weights
    they share the parent (at most 1, exactly 1 when every child is covered)."""
    kids = {k.id: k for k in tree.children_of(group)}
    where = "at the top of the index" if group.depth == 0 else f"under {group.id!r}"
    covered: set[str] = set()
    for i, entry in enumerate(joint):
        for j, member in enumerate(entry.members):
            at = (*group.path, "joint_weights", i, "members", j)
            if member not in kids:
                yield pos.diagnostic(
                    UNRESOLVED_NAME, f"joint weight {where} names {member!r}, which is not one of its children", at
                )
            elif member in covered:
                yield pos.diagnostic(DUPLICATE_ID, f"{member!r} is in two joint weights {where}", at)
            elif isinstance(kids[member].node.weight, int | float):
                yield pos.diagnostic(
                    WEIGHT_SUM,
                    f"{member!r} has its own weight and is in a joint weight {where}: give one or the other",
                    at,
                )
            covered.add(member)
    mode = tree.weighting(group)
    if mode not in ("explicit", "unstated"):
        return
    own = [k.node.weight for k in kids.values() if k.id not in covered]
    total = math.fsum([float(w) for w in own if isinstance(w, int | float)] + [e.weight for e in joint])
    whole = all(isinstance(w, int | float) for w in own)
    if total > 1 + WEIGHT_TOLERANCE or (whole and abs(total - 1) > WEIGHT_TOLERANCE and tree.spec.structure.complete):
        yield pos.diagnostic(
            WEIGHT_SUM,
            f"joint and explicit weights {where} sum to {total:.2f}; expected 1",
            (*group.path, "joint_weights"),
        )


def _evidence(spec: Spec, tree: Tree, pos: PositionIndex, _dir: FsPath | None) -> Iterator[Diagnostic]:
    """`undisclosed` says the publisher's own documents were read and are silent: say which were read."""
    facts = verified_undisclosed(spec)
    if facts and not publisher_documents(spec):
        yield _warn(
            pos,
            UNVERIFIED_UNDISCLOSED,
            f"{len(facts)} fact{'s are' if len(facts) > 1 else ' is'} marked `undisclosed` (the publisher's own "
            "documents read and silent) but no source is marked `publisher_document: methodology` or `report`: "
            "mark the source read, or write `unknown` for facts not found in the sources cited",
            facts[0],
        )
