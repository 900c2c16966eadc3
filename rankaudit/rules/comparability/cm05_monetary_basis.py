"""CM05 (comparability): Monetary indicators on a common basis."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rankaudit.rules.base import Evidence, Verdict, is_stated, met, not_applicable, rule
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import Part, few, field_path, part, parts_verdict, plural
from rankaudit.spec.models import Indicator, Monetary
from rankaudit.spec.tree import NodeRef


def _money(ref: NodeRef[Indicator]) -> Monetary:
    """The monetary block of an indicator this rule looks at (one declared monetary)."""
    money = ref.node.monetary
    assert isinstance(money, Monetary)
    return money


@rule(
    "CM05",
    "Monetary indicators on a common basis",
    sources=("jrc-10-step-guide#data-selection", "leff-petersen-2015#data"),
    reads=(
        "structure.children[].monetary.basis",
        "structure.children[].monetary.currency",
        "structure.children[].monetary.price_year",
    ),
    scoring="Over the indicators with a `monetary` block: 2 = every one states its currency, a price year, "
    "and PPP or constant prices; 1 = every one states currency and basis, but some use market exchange "
    "rates or nominal values, or give no price year; 0 = some lack the basis or the currency (scored as "
    "undisclosed when none states either). A price (`price_level: true`: a cost-of-living basket) at market "
    "exchange rates counts as PPP would for other money, since PPPs would remove the differences it ranks. "
    "n.a. when no indicator is monetary. rankaudit's scale. A currency, "
    "basis or price year not found in the sources cited costs nothing (its points are not assessed).",
)
def monetary_basis(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Salaries, rents and output measured in local currency at market rates move with exchange rates
    and price levels, not with the cities themselves. Comparing money across countries needs a stated
    currency, purchasing power parities or constant prices, and a price year."""
    monetary = [r for r in ctx.indicators if isinstance(r.node.monetary, Monetary)]
    if not monetary:
        return not_applicable("no indicator is declared monetary", ("structure",))
    # three facts per monetary indicator, judged on those found: one not found in the sources read costs nothing
    parts: list[Part] = []
    kinds: list[str] = []
    for ref in monetary:
        money = _money(ref)
        where = field_path(ref, "monetary")
        for kind, value in (("currency", money.currency), ("basis", money.basis), ("price year", money.price_year)):
            found = part(ctx, f"{ref.id} {kind}", (*where, kind.replace(" ", "_")), value, is_stated(value))
            parts.append(found)
            kinds.append(kind)
    # a price compared at market exchange rates is measured as it should be: PPPs would erase what it ranks
    weak_basis = [(r, str(_money(r).basis).replace("_", " ")) for r in monetary
                  if _money(r).basis == "nominal"
                  or (_money(r).basis == "market_exchange_rate" and not _money(r).price_level)]
    n = len(monetary)

    def scale(stated: Sequence[bool]) -> int:
        """0 = some lack the currency or the basis; 1 = market rates or nominal values, or no price year; else 2."""
        if not all(ok for ok, kind in zip(stated, kinds, strict=True) if kind != "price year"):
            return 0
        return 1 if weak_basis or not all(stated) else 2

    def of(kind: str, state: str) -> list[NodeRef[Indicator]]:
        return [r for i, r in enumerate(monetary) if any(
            p.state == state for p, k in zip(parts[3 * i: 3 * i + 3], kinds[3 * i: 3 * i + 3], strict=True)
            if k in kind)]

    blank = of("currency basis", "missing")
    no_year = [r for r in of("price year", "missing") if r not in blank]
    evidence: Evidence = {}
    if all(p.met for p in parts) and not weak_basis:
        bases = sorted({str(_money(r).basis) + (" of prices" if _money(r).price_level else "") for r in monetary})
        return met(
            f"{'the' if n == 1 else 'all ' + str(n)} {plural(n, 'monetary indicator')[len(str(n)) + 1 :]} state"
            f"{'s' if n == 1 else ''} currency, price year and basis ({', '.join(bases)})",
            field_path(monetary[0], "monetary"),
        )
    said = []
    if blank:
        said.append(
            f"{len(blank)} of {plural(n, 'monetary indicator')} {'does' if len(blank) == 1 else 'do'} not state "
            f"both currency and basis: {few([r.id for r in blank])}"
        )
        evidence["missing"] = [r.id for r in blank]
    weak = [*weak_basis, *((r, "no price year") for r in no_year if r not in [w for w, _ in weak_basis])]
    if weak and not blank:
        said.append(
            f"{len(weak)} of {plural(n, 'monetary indicator')} {'is' if len(weak) == 1 else 'are'} not on PPP or "
            "constant prices with a price year: " + few([f"{r.id} ({why})" for r, why in weak])
        )
        evidence["weak"] = [r.id for r, _ in weak]
    first = (blank or [r for r, _ in weak] or of("currency basis price year", "unknown"))[0]
    return parts_verdict(parts, scale, "; ".join(said), field_path(first, "monetary"), **evidence)
