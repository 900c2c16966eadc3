"""What a rank can claim: "we are 12th", "top 10", "ahead of Vienna", against the audit's Monte Carlo.

For each city: the nominal rank, the median and 5-95 % interval of its ranks over the plausible
variants, the cities it cannot be told apart from, and verdicts on claims.

* **Plausible variants** are the Monte Carlo replications of the audit's uncertainty design, drawn
  with the audit's seed and design (``whatif_adapter.replication_ranks``), so the intervals here are
  the audit's, to the last digit (the same exact rank histogram and type-7 quantiles).
* **A claim holds** when it is true in at least ``threshold`` (default 0.9) of the variants. The share
  is over all variants: one where the city is not ranked (e.g. screened out) counts against it.
  "rank k" = exactly rank k (ties share the best rank); "top N" = rank <= N; "ahead of X" =
  strictly better rank than X.
* **Cannot be told apart**: city j is indistinguishable from city i when their 5-95 % rank intervals
  overlap (q05_j <= q95_i and q05_i <= q95_j). Overlap is the plain reading a reader applies to two
  printed intervals; it is deliberately generous (two cities whose intervals overlap can still be
  ordered in most variants: "ahead of X" gives the pairwise share when that matters).
* **Per city, by default**: "rank k" with k its nominal rank; "top N" with N the smallest of
  3, 5, 10, 20, 25, 50, 100, 200, 500, 1000 at or above its nominal rank (the round number a city would
  quote); "ahead of" the city nominally just below it; and ``best_top_n``, the smallest N for which
  "top N" holds. ``claims=[...]`` adds the same claims to every city.

Pairwise shares ("ahead of X") need per-replication ranks. They are accumulated chunk by chunk,
never storing the replications: only the requested pairs by default, or (``pairwise=True``) a full
n x n int32 table of "i strictly ahead of j" counts, refused above ``PAIRWISE_CAP`` cities (4,096:
64 MiB).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from rankaudit.spec.models import Spec
from rankaudit.spec.yamlsafe import PositionIndex
from rankaudit.stats.result import clean_number
from rankaudit.stats.whatif_adapter import (
    IndexView,
    rank_accumulator,
    replication_design,
    replication_ranks,
    view_from_spec,
)

__all__ = ["PAIRWISE_CAP", "CityClaims", "Claim", "ClaimError", "ClaimsResult", "Verdict", "city_claims",
           "claims_from_spec", "parse_claim", "resolve_city"]

PAIRWISE_CAP = 4096
ROUND_TOPS = (3, 5, 10, 20, 25, 50, 100, 200, 500, 1000)
OVERLAP_RULE = "5-95% rank intervals overlap (q05_j <= q95_i and q05_i <= q95_j)"


class ClaimError(ValueError):
    """A claim that cannot be read, or that names an unknown city."""


ClaimKind = Literal["rank", "top", "ahead"]


@dataclass(frozen=True)
class Claim:
    kind: ClaimKind
    k: int | None = None  # rank k / top N
    other: str | None = None  # city id for "ahead of"

    def text(self, names: Mapping[str, str | None] | None = None) -> str:
        if self.kind == "rank":
            return f"rank {self.k}"
        if self.kind == "top":
            return f"top {self.k}"
        name = (names or {}).get(self.other or "") or self.other
        return f"ahead of {name}"


def resolve_city(key: str, ids: Sequence[str], names: Sequence[str | None]) -> str:
    """A city id from its id or name (case-insensitive); unknown -> ClaimError with near matches."""
    k = key.strip().casefold()
    for i, n in zip(ids, names, strict=True):
        if i.casefold() == k or (n is not None and n.casefold() == k):
            return i
    labels = {i.casefold(): i for i in ids} | {n.casefold(): n for n in names if n}
    near = [labels[m] for m in difflib.get_close_matches(k, list(labels), n=5, cutoff=0.6)]
    hint = f"; near matches: {', '.join(near)}" if near else ""
    raise ClaimError(f"unknown city {key.strip()!r}{hint}")


_TOP = re.compile(r"^top\s*-?\s*(\d+)$")
_RANK = re.compile(r"^(?:(?:rank(?:ed)?|number|no\.?)\s*#?\s*(\d+)|#\s*(\d+)|(\d+)\s*(?:st|nd|rd|th))$")
_AHEAD = re.compile(r"^(?:ahead\s+of|above|better\s+than|before)\s+(.+)$")


def parse_claim(text: str, ids: Sequence[str], names: Sequence[str | None] | None = None) -> Claim:
    """Read "top 10", "rank 3" (also "3rd", "#3"), "ahead of Vienna" (also "above", "better than")."""
    names = list(names) if names is not None else [None] * len(ids)
    t = " ".join(text.strip().split())
    low = t.casefold()
    n = len(ids)
    if m := _TOP.match(low):
        k = int(m.group(1))
        if not 1 <= k <= n:
            raise ClaimError(f"{t!r}: N must be within 1..{n} (the number of cities)")
        return Claim("top", k)
    if m := _RANK.match(low):
        k = int(next(g for g in m.groups() if g))
        if not 1 <= k <= n:
            raise ClaimError(f"{t!r}: the rank must be within 1..{n}")
        return Claim("rank", k)
    if m := _AHEAD.match(low):
        rest = t[len(t) - len(m.group(1)):]  # keep the city's own spelling for the message
        return Claim("ahead", other=resolve_city(rest, ids, names))
    raise ClaimError(f"cannot read the claim {t!r}: write e.g. 'top 10', 'rank 3' or 'ahead of <city>'")


@dataclass(frozen=True)
class Verdict:
    claim: str
    kind: ClaimKind
    share: float  # share of the variants in which the claim is true
    holds: bool  # share >= threshold
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        return {"claim": self.claim, "kind": self.kind, "share": self.share, "holds": self.holds,
                "sentence": self.sentence}


@dataclass(frozen=True)
class CityClaims:
    id: str
    name: str | None
    nominal_rank: int | None
    median_rank: float | None
    q05_rank: float | None
    q95_rank: float | None
    indistinguishable: tuple[str, ...]  # ids, by nominal rank
    best_top_n: int | None  # smallest N with "top N" holding
    verdicts: tuple[Verdict, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "nominal_rank": self.nominal_rank,
                "median_rank": self.median_rank, "q05_rank": self.q05_rank, "q95_rank": self.q95_rank,
                "indistinguishable": list(self.indistinguishable), "best_top_n": self.best_top_n,
                "verdicts": [v.to_dict() for v in self.verdicts]}


@dataclass(frozen=True)
class ClaimsResult:
    n_runs: int
    seed: int
    threshold: float
    assumptions: tuple[str, ...]
    overlap_rule: str
    cities: tuple[CityClaims, ...]  # by nominal rank
    warnings: tuple[str, ...] = ()
    ahead: np.ndarray | None = None  # n x n int32 counts of "i strictly ahead of j" (pairwise=True)
    ids: tuple[str, ...] = ()
    names: tuple[str | None, ...] = ()  # of every city in ``ids`` (indistinguishable ones included)

    def name(self, key: str) -> str:
        """The city's name (its id when it has none)."""
        name = self.names[self.ids.index(key)] if self.names and key in self.ids else None
        return name or key

    def city(self, key: str) -> CityClaims:
        for c in self.cities:
            if c.id == key:
                return c
        raise ClaimError(f"no claims for {key!r}")

    def ahead_share(self, i: str, j: str) -> float:
        if self.ahead is None:
            raise ClaimError("pairwise counts were not accumulated (pairwise=True)")
        return float(self.ahead[self.ids.index(i), self.ids.index(j)]) / self.n_runs

    def to_dict(self) -> dict[str, Any]:
        return {"n_runs": self.n_runs, "seed": self.seed, "threshold": self.threshold,
                "assumptions": list(self.assumptions), "overlap_rule": self.overlap_rule,
                "cities": [c.to_dict() for c in self.cities], "warnings": list(self.warnings)}


def _f(x: float | np.floating[Any]) -> float | None:
    """A rank statistic as the audit's result reports it (same significant digits), so the two agree."""
    return clean_number(x)


def _pct(x: float) -> str:
    return f"{x:.0%}" if x not in (0.0, 1.0) and 0.005 <= x <= 0.995 else f"{x:.1%}"


def city_claims(view: IndexView, *, replications: int = 1000, seed: int = 1, threshold: float = 0.9,
                claims: Sequence[str | Claim] = (), cities: Sequence[str] | None = None,
                sensitivity: bool = True, chunk_size: int | None = None, pairwise: bool = False,
                defaults: bool = True) -> ClaimsResult:
    """Claims of every city (or of ``cities``) against ``replications`` plausible variants.

    ``replications``, ``seed`` and ``sensitivity`` must be the audit's for the intervals to be the
    audit's (``run_statistical_audit`` defaults: 1000, 1, True). ``defaults=False`` keeps only the
    explicit ``claims``.
    """
    if not 0 < threshold <= 1:
        raise ClaimError(f"the threshold must be within (0, 1], got {threshold}")
    ids, names = view.ids, view.names
    n = len(ids)
    design = replication_design(view, replications, seed, sensitivity)
    if design is None:
        raise ClaimError("the uncertainty design varies no assumption: there are no plausible variants to "
                         "test claims against (add an `uncertainty` section to the spec)")
    if pairwise and n > PAIRWISE_CAP:
        raise ClaimError(f"pairwise counts for {n} cities would take {n * n * 4 / 2**20:.0f} MiB: the cap is "
                         f"{PAIRWISE_CAP} cities; ask 'ahead of' claims for named cities instead")
    explicit = [c if isinstance(c, Claim) else parse_claim(c, ids, names) for c in claims]
    sel = list(range(n)) if cities is None else [ids.index(resolve_city(c, ids, names)) for c in cities]
    nominal = view.nominal_ranks
    order = [int(u) for u in np.argsort(np.where(np.isnan(nominal), np.inf, nominal), kind="stable")]
    pos_of = {u: p for p, u in enumerate(order)}
    per_city: dict[int, list[Claim]] = {}
    for u in sel:
        cl: list[Claim] = []
        if defaults and np.isfinite(nominal[u]):
            k = int(nominal[u])
            cl.append(Claim("rank", k))
            top = next((t for t in ROUND_TOPS if t >= k and t < n), None)
            if top is not None:
                cl.append(Claim("top", top))
            pos = pos_of[u]
            if pos + 1 < n and np.isfinite(nominal[order[pos + 1]]):
                cl.append(Claim("ahead", other=ids[order[pos + 1]]))
        cl.extend(c for c in explicit if not (c.kind == "ahead" and c.other == ids[u]))
        per_city[u] = list(dict.fromkeys(cl))  # drop duplicates, keep order
    pairs = sorted({(u, ids.index(c.other)) for u, cl in per_city.items() for c in cl
                    if c.kind == "ahead" and c.other is not None})
    pi = np.array([p[0] for p in pairs], dtype=np.int64)
    pj = np.array([p[1] for p in pairs], dtype=np.int64)
    pair_counts = np.zeros(len(pairs), dtype=np.int64)
    ahead = np.zeros((n, n), dtype=np.int32) if pairwise else None
    hist = rank_accumulator(n, design.n_runs)  # the audit's table: same count type, same bins
    if hist.width > 1:
        # shares of "rank k" / "top N" read the exact per-rank counts; binned tables cannot give them
        raise ClaimError(f"{n:,} cities are too many for exact rank counts (the audit bins ranks by "
                         f"{hist.width}); ask for fewer cities' data")
    total = 0
    sub = max(1, (1 << 24) // max(1, n * n))  # replications per block of the n x n comparison
    for ranks in replication_ranks(view, replications, seed, sensitivity=sensitivity, chunk_size=chunk_size):
        hist.add(ranks)
        total += ranks.shape[0]
        if pairs:
            with np.errstate(invalid="ignore"):
                pair_counts += (ranks[:, pi] < ranks[:, pj]).sum(axis=0)
        if ahead is not None:
            filled = np.where(np.isnan(ranks), np.inf, ranks)  # unranked: behind everyone, ahead of no one
            for s in range(0, ranks.shape[0], sub):
                blk = filled[s:s + sub]
                cmp = blk[:, :, None] < blk[:, None, :]
                ahead += cmp.sum(axis=0, dtype=np.int32)
    med, q05, q95 = hist.quantile(0.5), hist.quantile(0.05), hist.quantile(0.95)
    cum = np.cumsum(hist.counts, axis=1)
    share_rank = hist.counts / total
    share_top = cum / total
    pair_share = {p: float(c) / total for p, c in zip(pairs, pair_counts, strict=True)}
    label = {i: nm for i, nm in zip(ids, names, strict=True)}
    out = []
    for u in sorted(sel, key=pos_of.__getitem__):
        verdicts = []
        for c in per_city[u]:
            if c.kind == "rank":
                assert c.k is not None
                share = float(share_rank[u, c.k - 1])
            elif c.kind == "top":
                assert c.k is not None
                share = float(share_top[u, c.k - 1])
            else:
                share = pair_share[(u, ids.index(c.other or ""))]
            holds = share >= threshold
            txt = c.text(label)
            verdicts.append(Verdict(txt, c.kind, share, holds,
                                    f"'{txt}' {'holds' if holds else 'does not hold'}: true in {_pct(share)} of "
                                    f"the {total:,} plausible variants (threshold {_pct(threshold)})"))
        ok = np.isfinite(q05) & np.isfinite(q95)
        if ok[u]:
            near = ok & (q05 <= q95[u]) & (q05[u] <= q95)
            near[u] = False
            indist = tuple(ids[j] for j in order if near[j])
        else:
            indist = ()
        hit = np.flatnonzero(share_top[u] >= threshold)
        out.append(CityClaims(ids[u], names[u], int(nominal[u]) if np.isfinite(nominal[u]) else None,
                              _f(med[u]), _f(q05[u]), _f(q95[u]), indist,
                              int(hit[0]) + 1 if hit.size else None, tuple(verdicts)))
    return ClaimsResult(total, seed, threshold, design.assumptions, OVERLAP_RULE, tuple(out), (), ahead, ids,
                        tuple(names))


def claims_from_spec(spec: Spec, spec_dir: str | Path, *, replications: int = 1000, seed: int = 1,
                     threshold: float = 0.9, claims: Sequence[str] = (), cities: Sequence[str] | None = None,
                     positions: PositionIndex | None = None, pairwise: bool = False,
                     defaults: bool = True) -> ClaimsResult:
    """``city_claims`` on a spec's index and data, built as ``run_statistical_audit`` builds it.

    Raises SpecError (no data section, unreadable values ...) and ClaimError (bad claim, unknown city).
    """
    view, _published, warnings = view_from_spec(spec, spec_dir, positions)
    res = city_claims(view, replications=replications, seed=seed, threshold=threshold, claims=claims,
                      cities=cities, pairwise=pairwise, defaults=defaults)
    return ClaimsResult(res.n_runs, res.seed, res.threshold, res.assumptions, res.overlap_rule, res.cities,
                        tuple(warnings), res.ahead, res.ids, res.names)
