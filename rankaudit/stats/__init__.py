"""The statistical audit engine (JRC/COINr-style coherence, uncertainty and sensitivity analysis).

Importing this package is cheap: numpy, scipy and scikit-learn load with the modules that need them.

Modules:

* ``model``: ``IndexModel`` (how an index is built) and ``UncertaintyDesign`` (what the Monte Carlo varies)
* ``data``: ``UnitData`` and ``load_values`` (CSV -> ``UnitData``) with located ``DataError``
* ``transform``: moments, imputation, outlier treatment, normalisation
* ``aggregate`` / ``pipeline``: batched weighted aggregation; ``Pipeline.build`` / ``build_index``
* ``coherence`` / ``correlation``: indicator statistics, correlation flags, Cronbach, PCA, importance
* ``uncertainty`` / ``sensitivity``: batched Monte Carlo, Saltelli design, Sobol indices
* ``audit``: ``run_audit(model, data, ...) -> StatsResult``
* ``from_spec``: ``run_statistical_audit(spec, spec_dir, ...) -> StatsResult``
* ``methods``: the method vocabulary (normalisations, aggregations, imputations, outlier treatments)
* ``csvfile``: the one guarded, located CSV reader (values and published results; standard library only)
* ``result``: the JSON-serialisable ``StatsResult`` (pydantic)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rankaudit.stats.audit import run_audit
    from rankaudit.stats.from_spec import run_statistical_audit

__all__ = ["run_audit", "run_statistical_audit"]


def __getattr__(name: str) -> Any:
    if name == "run_audit":
        from rankaudit.stats.audit import run_audit

        return run_audit
    if name == "run_statistical_audit":
        from rankaudit.stats.from_spec import run_statistical_audit

        return run_statistical_audit
    raise AttributeError(name)
