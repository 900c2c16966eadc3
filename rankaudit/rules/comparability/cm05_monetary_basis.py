"""CM05 (comparability): Monetary indicators on a common basis."""

from __future__ import annotations

from typing import Any

from rankaudit.rules.base import Verdict, is_stated, met, not_applicable, not_met, partly, rule, undisclosed
from rankaudit.rules.context import AuditContext
from rankaudit.rules.policy import few, field_path, plural
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
    "undisclosed when none states either). n.a. when no indicator is monetary. rankaudit's scale.",
)
def monetary_basis(ctx: AuditContext, options: dict[str, Any]) -> Verdict:
    """Salaries, rents and output measured in local currency at market rates move with exchange rates
    and price levels, not with the cities themselves. Comparing money across countries needs a stated
    currency, purchasing power parities or constant prices, and a price year."""
    monetary = [r for r in ctx.indicators if isinstance(r.node.monetary, Monetary)]
    if not monetary:
        return not_applicable("no indicator is declared monetary", ("structure",))
    blank: list[NodeRef[Indicator]] = []
    weak: list[tuple[NodeRef, str]] = []
    for ref in monetary:
        money = ref.node.monetary
        assert isinstance(money, Monetary)
        has_basis, has_currency = is_stated(money.basis), is_stated(money.currency)
        if not (has_basis and has_currency):
            blank.append(ref)
        elif money.basis in ("market_exchange_rate", "nominal"):
            weak.append((ref, str(money.basis).replace("_", " ")))
        elif money.price_year is None:
            weak.append((ref, "no price year"))
    n = len(monetary)
    if blank:
        message = (
            f"{len(blank)} of {plural(n, 'monetary indicator')} {'does' if len(blank) == 1 else 'do'} not state "
            f"both currency and basis: {few([r.id for r in blank])}"
        )
        path = field_path(blank[0], "monetary")
        if len(blank) == n and all(
            not is_stated(_money(r).basis) and not is_stated(_money(r).currency)
            for r in blank
        ):
            return undisclosed(message, path)
        return not_met(message, path, missing=[r.id for r in blank])
    if weak:
        return partly(
            f"{len(weak)} of {plural(n, 'monetary indicator')} {'is' if len(weak) == 1 else 'are'} not on PPP or "
            "constant prices with a price year: " + few([f"{r.id} ({why})" for r, why in weak]),
            field_path(weak[0][0], "monetary"),
            weak=[r.id for r, _ in weak],
        )
    bases = sorted({str(_money(r).basis) for r in monetary})
    return met(
        f"{'the' if n == 1 else 'all ' + str(n)} {plural(n, 'monetary indicator')[len(str(n)) + 1 :]} state"
        f"{'s' if n == 1 else ''} currency, price year and basis ({', '.join(bases)})",
        field_path(monetary[0], "monetary"),
    )
