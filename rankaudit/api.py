"""The Python API, for notebooks and scripts: the same engine as the command line, in three calls.

    import rankaudit
    loaded = rankaudit.load_spec("specs/mori-gpci-2024.yaml")
    result = rankaudit.audit(loaded, replications=200, seed=1)
    result.findings_frame()       # pandas, one row per rule
    result.to_dict()              # the JSON output's shape

Everything here is importable from `rankaudit` itself (lazily: `import rankaudit` loads nothing
heavy). Errors are `rankaudit.SpecError`, which carries every located diagnostic.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rankaudit.config import Config
from rankaudit.diagnostics import SpecError
from rankaudit.spec.load import LoadedSpec
from rankaudit.spec.load import load_spec as _load_spec

if TYPE_CHECKING:
    import pandas as pd

    from rankaudit.result import AuditResult

__all__ = ["SpecError", "audit", "load_config", "load_spec", "rule_hint", "rule_selectors", "with_rules"]

PathLike = str | os.PathLike[str]


def load_spec(path: PathLike) -> LoadedSpec:
    """Load and check one spec file: YAML, schema and semantic checks (what `rankaudit validate` does
    before the data files). The pydantic model is `.spec`; `.file`, `.spec_dir` and `.warnings` say
    where it came from. Raises `SpecError` with every located diagnostic."""
    return _load_spec(os.fspath(path))


def load_config(path: PathLike | None = None, *, start: PathLike | None = None) -> Config:
    """A configuration file (`.rankaudit.yaml` or `[tool.rankaudit]` in pyproject.toml): the one at
    `path`, else the nearest above `start` (default: the current folder), else the defaults."""
    from rankaudit.config import find_config
    from rankaudit.config import load_config as _load_config
    from rankaudit.rules import all_rules

    found = Path(path) if path is not None else find_config(Path(start) if start is not None else Path.cwd())
    return _load_config(found, all_rules()) if found is not None else Config()


def with_rules(config: Config, select: Sequence[str] | None = None, ignore: Sequence[str] = ()) -> Config:
    """`config` with a selection given on the command line (or in code) layered on top, as ruff does.

    `select` replaces the file's selection and its ignores (what is asked for explicitly is run);
    `ignore` is added to whatever ignores remain. Codes are full codes (FR03), prefixes (FR) or ALL;
    an unknown one raises ValueError with a "did you mean".
    """
    known = rule_selectors()

    def patterns(codes: Iterable[str], option: str) -> list[str]:
        out = []
        for raw in codes:
            code = raw.strip().upper()
            if code not in known:
                raise ValueError(f"{option} names unknown rule {raw!r}{rule_hint(code)}")
            out.append("" if code == "ALL" else code)
        return out

    chosen = replace(config)
    if select is not None:
        chosen.select = patterns(select, "--select")
        chosen.ignore = []
    chosen.ignore = [*chosen.ignore, *patterns(ignore, "--ignore")]
    return chosen


def rule_selectors() -> list[str]:
    """What --select and --ignore accept: every rule code, every two-letter prefix, and ALL."""
    from rankaudit.rules import all_rules

    rules = all_rules()
    return sorted({r.code for r in rules} | {r.code[:2] for r in rules} | {"ALL"})


def rule_hint(code: str, choices: Sequence[str] | None = None) -> str:
    """The "; did you mean OP01?" of a misspelt rule code, among `choices` (default: what --select
    accepts), or else where to find the codes."""
    hint = difflib.get_close_matches(code.strip().upper(), choices or rule_selectors(), n=1, cutoff=0.5)
    return f"; did you mean {hint[0]}?" if hint else "; `rankaudit rules` lists the codes"


def audit(
    spec: PathLike | LoadedSpec,
    *,
    data: PathLike | pd.DataFrame | None = None,
    replications: int = 1000,
    seed: int = 1,
    config: Config | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
) -> AuditResult:
    """Audit one spec (a path, or what `load_spec` returned) and return the typed `AuditResult`.

    `data` replaces the spec's values file for this run: a CSV path, or a pandas DataFrame (written to
    a temporary CSV and read back by the audit's own reader, so it gets the same located checks; a
    named index is written as a column). A spec without a `data` section then reads its unit ids from
    the column `id`. `replications=0` skips the Monte Carlo; the same `seed` gives the same result.
    `config` defaults to the nearest configuration file, as on the command line; `select` and `ignore`
    layer on top of it (`with_rules`).
    """
    from rankaudit.audit import audit as _audit
    from rankaudit.audit import statistics_for

    loaded = spec if isinstance(spec, LoadedSpec) else load_spec(spec)
    chosen = with_rules(config if config is not None else load_config(), select, ignore)
    if data is None:
        return _audit(loaded, chosen, statistics_for(loaded, replications=replications, seed=seed, config=chosen))
    if isinstance(data, str | os.PathLike):
        swapped = _with_values(loaded, Path(data))
        return _audit(swapped, chosen, statistics_for(swapped, replications=replications, seed=seed, config=chosen))
    with tempfile.TemporaryDirectory(prefix="rankaudit-") as folder:
        csv_path = Path(folder) / "data.csv"
        frame = data.reset_index() if any(name is not None for name in data.index.names) else data
        frame.to_csv(csv_path, index=False)
        swapped = _with_values(loaded, csv_path)
        return _audit(swapped, chosen, statistics_for(swapped, replications=replications, seed=seed, config=chosen))


def _with_values(loaded: LoadedSpec, values: Path) -> LoadedSpec:
    """`loaded` reading another values file (absolute paths, so that the published file stays where
    the spec says: next to the spec)."""
    from rankaudit.spec.models import Data

    current = loaded.spec.data
    if current is None:
        linked = Data.model_validate({"values": str(values.resolve())})
    else:
        published = str((loaded.spec_dir / current.published).resolve()) if current.published else None
        linked = current.model_copy(update={"values": str(values.resolve()), "published": published})
    return replace(loaded, spec=loaded.spec.model_copy(update={"data": linked}))
