"""Generate the cases of the statistical rules, rankaudit/rules/cases/SRxx.yaml.

    python tests/stats/tools/gen_sr_cases.py          # check every case against the rules
    python tests/stats/tools/gen_sr_cases.py --write  # and rewrite the YAML files

Run from the repository root. Data are synthetic and seeded, so the output is stable.
"""

import io
import pathlib
import sys
import tempfile

import numpy as np
import yaml

from rankaudit.audit import evaluate, statistics_for
from rankaudit.config import Config
from rankaudit.rules import all_rules
from rankaudit.rules.context import AuditContext
from rankaudit.rules.examples import Case, load_case
from rankaudit.stats.coherence import pca as _pca

COLS = ["gdp", "jobs", "firms", "pm25", "green", "noise"]
STRUCT = {
    "children": [
        {
            "id": "economy",
            "name": "Economy",
            "children": [
                {"id": "gdp", "name": "GDP per capita"},
                {"id": "jobs", "name": "Employment rate"},
                {"id": "firms", "name": "Firm creation"},
            ],
        },
        {
            "id": "environment",
            "name": "Environment",
            "children": [
                {"id": "pm25", "name": "PM2.5 concentration", "direction": "lower"},
                {"id": "green", "name": "Green space"},
                {"id": "noise", "name": "Noise exposure", "direction": "lower"},
            ],
        },
    ]
}


def csv_text(x, extra=None, n=None):
    n = x.shape[0]
    cols = ["id", *COLS] + (list(extra) if extra else [])
    out = io.StringIO()
    out.write(",".join(cols) + "\n")
    for i in range(n):
        row = [f"c{i + 1:02d}"] + ["" if np.isnan(v) else f"{v:.3f}" for v in x[i]]
        if extra:
            row += [f"{v:.1f}" for v in (extra[k][i] for k in extra)]
        out.write(",".join(row) + "\n")
    return out.getvalue()


def good(n=12, seed=1, noise=0.6):
    rng = np.random.default_rng(seed)
    lat = np.linspace(-1.5, 1.5, n)[rng.permutation(n)]
    lat2 = 0.5 * lat + 0.9 * np.linspace(-1.5, 1.5, n)[rng.permutation(n)]
    x = np.column_stack([lat, lat, lat, lat2, lat2, lat2]) + noise * rng.normal(size=(n, 6))
    x[:, [3, 5]] *= -1  # lower is better
    return x * 10 + 50


def case(name, expect, x, spec_extra=None, extra_cols=None, replications=0, options=None, contains=None):
    spec = {"cities": {"count": x.shape[0]}, "structure": STRUCT, "data": {"values": "values.csv"}}
    if extra_cols:
        spec["data"]["denominators"] = list(extra_cols)
    for k, v in (spec_extra or {}).items():
        if k in spec and isinstance(v, dict):
            spec[k] = {**spec[k], **v}
        else:
            spec[k] = v
    d = {"name": name, "expect": expect, "spec": spec, "files": {"values.csv": csv_text(x, extra_cols)}}
    if replications:
        d["replications"] = replications
    if options:
        d["options"] = options
    if contains:
        d["message_contains"] = contains
    return d


def check(code, cases):
    rule = next(r for r in all_rules() if r.code == code)
    for c in cases:
        cs = Case(
            rule=code,
            name=c["name"],
            expect=c["expect"],
            fragment=c["spec"],
            files=c["files"],
            replications=c.get("replications", 0),
            options=c.get("options", {}),
        )
        with tempfile.TemporaryDirectory() as t:
            loaded = load_case(cs, pathlib.Path(t))
            stats = statistics_for(loaded, replications=cs.replications, seed=1)
            v = evaluate(rule, AuditContext(loaded.spec, stats), Config(rule_options={code: cs.options}))
        flag = "OK " if v.score == c["expect"] else "BAD"
        print(flag, code, c["name"], "->", v.score, "|", v.message)


class Lit(str):
    pass


def lit_repr(dumper, data):
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")


yaml.SafeDumper.add_representer(Lit, lit_repr)


LOCATION_KEYS = ("path", "line", "column")


def _existing_cases(code):
    target = pathlib.Path(f"rankaudit/rules/cases/{code}.yaml")
    if not target.exists():
        return []
    return (yaml.safe_load(target.read_text(encoding="utf-8")) or {}).get("cases", [])


def write(code, cases, header):
    """Rewrite one case file from the generated cases. The location keys (path, line, column) are
    added by hand after generation, so they are carried over by case name; a file that also holds
    hand-written cases the generator does not produce is left as it is (a rewrite would drop them)."""
    old = _existing_cases(code)
    generated = {c["name"] for c in cases}
    hand_written = [c["name"] for c in old if c["name"] not in generated]
    if hand_written:
        print(f"{code}: not rewritten, it holds hand-written cases: {', '.join(hand_written)}")
        return
    kept = {c["name"]: {k: c[k] for k in LOCATION_KEYS if k in c} for c in old}
    for i, c in enumerate(cases):
        c["files"] = {k: Lit(v) for k, v in c["files"].items()}
        head = {k: c[k] for k in ("name", "expect")}
        cases[i] = {**head, **kept.get(c["name"], {}), **{k: v for k, v in c.items() if k not in head}}

    class NoAlias(yaml.SafeDumper):
        def ignore_aliases(self, data):
            return True

    text = header + yaml.dump({"rule": code, "cases": cases}, Dumper=NoAlias, sort_keys=False, width=110)
    with open(f"rankaudit/rules/cases/{code}.yaml", "w", encoding="utf-8") as fh:
        fh.write(text)


ALL = {}
# SR01 availability
g = good()
x1 = g.copy()
x1[3, :3] = np.nan  # one city with 3/6 available < 2/3 -> 1/12 cities
x0 = g.copy()
x0[[0, 2, 4, 6, 8, 10], 1] = np.nan  # jobs 50 % available
ALL["SR01"] = [
    case("every indicator and city well covered", 2, g),
    case("one city in twelve lacks half its data", 1, x1),
    case("an indicator missing for half of the cities", 0, x0),
]
# SR02 outliers
xo = good()
xo[:, 0] = np.r_[np.arange(1, 12), 100.0] * 1.0
xo[:, 4] = np.r_[np.arange(1, 12), 90.0]
ALL["SR02"] = [
    case("no indicator is skewed", 2, good()),
    case(
        "skewed indicators winsorised as declared",
        2,
        xo,
        {"method": {"outliers": {"treatment": "winsorise", "max_points": 5}}},
    ),
    case("two skewed indicators left untreated", 0, xo),
]
# SR03 double counting
xd = good()
xd[:, 1] = xd[:, 0] * 0.5 + 3 + 0.01 * np.random.default_rng(3).normal(size=12)
ALL["SR03"] = [
    case("members of a group correlate moderately", 2, good()),
    case("employment duplicates GDP", 1, xd),
]
# SR04 negative correlations
xn = good()
xn[:, 4] = 100 - xn[:, 4]
xn[:, 2] = 100 - xn[:, 2]
ALL["SR04"] = [
    case("members of a group pull the same way", 2, good()),
    case("two indicators entered the wrong way round", 0, xn),
]
# SR05 internal consistency
xi = good()
xi[:, 3:] = 50 + 10 * np.random.default_rng(7).normal(size=(12, 3))
ALL["SR05"] = [
    case("both groups hang together", 2, good(noise=0.5)),
    case("the environment group mixes unrelated indicators", 0, xi),
]
# SR06 dimensionality
for seed in range(200):
    x6 = good(noise=0.5)
    x6[:, 3:] = 50 + 10 * np.random.default_rng(seed).normal(size=(12, 3))
    if _pca(x6[:, 3:]).n_gt_1 == 2:
        break
print("SR06 seed", seed)
ALL["SR06"] = [
    case("one dimension per group", 2, good(noise=0.5)),
    case("the environment group holds unrelated indicators", 1, x6),
]
# SR07 scale bias
rng = np.random.default_rng(11)
pop = np.round(rng.lognormal(13, 0.8, 12) / 1000) * 1000
xs = good()
xs[:, 2] = pop / 20000 + rng.normal(size=12)
ALL["SR07"] = [
    case("no indicator follows population", 2, good(), extra_cols={"population": pop}),
    case("firm creation counts firms, not firms per resident", 1, xs, extra_cols={"population": pop}),
    case("no size variable given", None, good()),
]
# SR08 weights vs importance
xw = good(n=30, noise=0.4)
xw2 = good(n=30, noise=0.4)
xw2[:, 3:] = 50 + 10 * np.random.default_rng(5).normal(size=(30, 3))
xw2[:, 0] = xw2[:, 0] * 3  # gdp's spread dominates
ALL["SR08"] = [
    case("influence follows the equal weights", 2, xw),
    case("one pillar carries the index", 1, xw2),
]
# SR09 reproducibility: computed below after building
ALL["SR10"] = []
for name in ("SR01", "SR02", "SR03", "SR04", "SR05", "SR06", "SR07", "SR08"):
    check(name, ALL[name])

# SR09 reproducibility

g9 = good(seed=4)
base = case("tmp", 2, g9)
cs = Case(rule="SR09", name="tmp", expect=2, fragment=base["spec"], files=base["files"])
with tempfile.TemporaryDirectory() as t:
    loaded = load_case(cs, pathlib.Path(t))
    st = statistics_for(loaded, replications=0, seed=1)
ranks = {u.id: u.rank for u in st.units}
members = [{"name": f"City {k}", "id": k, "rank": r} for k, r in ranks.items()]
bad = [dict(m) for m in members]
order = sorted(bad, key=lambda m: m["rank"])
# the publisher's ranks put the bottom three on top
for m in bad:
    m["rank"] = (m["rank"] + 3 - 1) % 12 + 1
ALL["SR09"] = [
    case(
        "published ranks follow from the method and data", 2, g9, {"cities": {"count": 12, "list": members}}
    ),
    case("published ranks cannot be rebuilt", 0, g9, {"cities": {"count": 12, "list": bad}}),
    case("nothing published to compare with", None, g9),
]
# SR10 rank uncertainty
rng = np.random.default_rng(21)
lat = np.linspace(-2, 2, 12)
x10 = np.column_stack([lat] * 6) + 0.15 * rng.normal(size=(12, 6))
x10[:, [3, 5]] *= -1
x10 = 50 + 10 * x10
lat30 = np.linspace(-2, 2, 30)
x10b = np.column_stack([lat30] * 6) + 0.3 * rng.normal(size=(30, 6))
x10b[:, [3, 5]] *= -1
x10b = 50 + 10 * x10b
x10b[:, 3:] = 100 - x10b[:, 3:]  # the environment pillar runs against the economy pillar

design = {
    "uncertainty": {
        "weights": {"factor": 0.25},
        "aggregation": ["arithmetic", "geometric"],
        "normalisation": [
            {"method": "minmax", "lower": 1, "upper": 100},
            {"method": "zscore", "mean": 10, "sd": 2},
        ],
    }
}
ALL["SR10"] = [
    case("ranks barely move under the JRC design", 2, x10, design, replications=240),
    case(
        "ranks hinge on the weights of two opposed pillars",
        0,
        x10b,
        {"uncertainty": {"weights": {"factor": 0.25}}},
        replications=240,
    ),
    case("no Monte Carlo run", None, x10, design),
]
for name in ("SR09", "SR10"):
    check(name, ALL[name])

HEADER = """# Cases of {code}: each spec fragment is merged over _base.yaml; `files` are written next to the
# spec (values.csv holds indicator values of synthetic cities, generated once with a fixed seed).
"""
if "--write" in sys.argv:
    for code, cases in ALL.items():
        write(code, cases, HEADER.format(code=code))
