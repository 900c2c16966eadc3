"""Issue 15: a bounded fuzz run through the CLI of mutated specs and data files (2,000 cases).

Every bundled spec (and the test specs) and the ASEM values file are mutated deterministically
(one seed) at three grains: bytes (flips, hostile bytes inserted, ranges deleted or doubled),
lines (deleted, doubled, swapped, re-indented, cut off) and tokens (a YAML value replaced by a
hostile scalar, a key misspelt; a CSV cell replaced by a number in a refused form, a formula, a
quote; rows and header cells dropped or doubled). The cases run in-process through the CLI's
Typer app, in batches (one invocation checks many files, as `validate specs/` does), and each
invocation must:

* exit 0, 1 or 2, and raise nothing (Typer's runner catches what `main` would call an internal
  error: an escaped exception fails the test with its traceback);
* print no "internal error" and no traceback;
* write JSON that parses, with a location (file and line) on every error diagnostic.

About 1,850 spec cases go through `validate`, one batch in four through `audit -n 0` (the rules run on
each mutated spec that still loads; specs with data find no data beside the mutant and stop
there), and 150 data cases through `audit -n 0` (each valid one runs the statistical audit,
about 0.4 s): under a minute on a loaded machine.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rankaudit.cli import app

ROOT = Path(__file__).resolve().parents[2]
SEED = 15
SPEC_CASES = 1_850
DATA_CASES = 150
SPEC_BATCH = 50
DATA_BATCH = 10

SPECS = sorted([*ROOT.glob("specs/*.yaml"), *ROOT.glob("tests/report/data/*.yaml"), ROOT / "fixtures/asem/asem.yaml",
                ROOT / "tests/hostile/data/rich.yaml"])
ASEM_SPEC = ROOT / "fixtures" / "asem" / "asem.yaml"
ASEM_CSV = ROOT / "fixtures" / "asem" / "asem.csv"

HOSTILE_BYTES = [b"\x00", b"\xff", b"\xfe", b"\x80", b"\t", b"\r", b"\r\n", b":", b": ", b"- ", b"&a ", b"*a", b"!!",
                 b"{", b"}", b"[", b"]", b'"', b"'", b"#", b"%", b"@", b"`", b"|", b">", b"?", b",", b"\xef\xbb\xbf",
                 b"\xe2\x80\xae", b"\x1b[2J", b"\n::error::x\n", b"<<: *a\n", b"---\n", b"...\n", b"\\"]
YAML_VALUES = ["", "~", "null", "-1", "0", "1e999", ".inf", "-.inf", ".nan", "0x1F", "0o17", "1_000", "yes", "no",
               "true", "2024-02-30", "10000-01-01", "undisclosed", "not_applicable", "[]", "{}", "[1, 2", "{a: 1",
               "'unterminated", '"\\x"', "*undefined_alias", "&anchor value", "!!binary aGVsbG8=",
               "!!python/object:os.system", "!!set {a, b}", "!custom x", "<<: {}", "x" * 5_000, "9" * 400, "-9" * 30,
               "😀", "\u202e", '"\\u0000"', "| \n", "> \n", "? complex", "[*a, *a]", "2147483648", "1.5", "-0"]
YAML_KEYS = ["nmae", "ranking", "cite", "children", "weight", "id", "name", "source", "values", "uncertainty",
             "normalisation", "<<", "? x", "1", "'quoted'", "spec_version"]
CSV_CELLS = ["", "NA", "4_097", "١٢٣", "１２", "1e999", "inf", "-inf", "nan", "0x10", "1,5", " 12 ", "=1+1", "+1",
             "@x", '"', '"a""b"', "1e-400", "--1", ".", "-", "e5", "1.2.3", "\x00", "\u202e1", "1\r2", "\n", "1e5"]


# ------------------------------------------------------------------------------------------------ mutators

def _byte_mutation(rng: random.Random, raw: bytes) -> bytes:
    if not raw:
        return rng.choice(HOSTILE_BYTES)
    i = rng.randrange(len(raw))
    kind = rng.randrange(4)
    if kind == 0:  # flip a byte
        return raw[:i] + bytes([rng.randrange(256)]) + raw[i + 1:]
    if kind == 1:  # insert a hostile byte sequence
        return raw[:i] + rng.choice(HOSTILE_BYTES) + raw[i:]
    j = min(len(raw), i + rng.randint(1, 200))
    if kind == 2:  # delete a range
        return raw[:i] + raw[j:]
    return raw[:j] + raw[i:j] + raw[j:]  # double a range


def _line_mutation(rng: random.Random, raw: bytes) -> bytes:
    lines = raw.split(b"\n")
    i = rng.randrange(len(lines))
    kind = rng.randrange(6)
    if kind == 0:
        del lines[i]
    elif kind == 1:
        lines.insert(i, lines[i])
    elif kind == 2:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == 3:
        lines[i] = b"  " + lines[i]
    elif kind == 4:
        lines[i] = lines[i][rng.randint(1, 4):]
    else:
        lines = lines[:i]
    return b"\n".join(lines)


_VALUE = re.compile(rb"^(\s*(?:- )?[\w.-]+: )(.+)$")
_KEY = re.compile(rb"^(\s*(?:- )?)([\w.-]+)(:)")


def _token_mutation(rng: random.Random, raw: bytes) -> bytes:
    lines = raw.split(b"\n")
    candidates = [i for i, line in enumerate(lines) if _VALUE.match(line)]
    if not candidates:
        return _byte_mutation(rng, raw)
    i = rng.choice(candidates)
    if rng.random() < 0.75:
        lines[i] = _VALUE.sub(lambda m: m.group(1) + rng.choice(YAML_VALUES).encode(), lines[i])
    else:
        lines[i] = _KEY.sub(lambda m: m.group(1) + rng.choice(YAML_KEYS).encode() + m.group(3), lines[i], count=1)
    return b"\n".join(lines)


SPEC_MUTATORS: list[Callable[[random.Random, bytes], bytes]] = [_byte_mutation, _line_mutation, _token_mutation,
                                                                _token_mutation]


def _csv_mutation(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    kind = rng.randrange(10)
    i = rng.randrange(len(lines))
    if kind <= 3:  # a cell in a refused or hostile form
        cells = lines[i].split(",")
        cells[rng.randrange(len(cells))] = rng.choice(CSV_CELLS)
        lines[i] = ",".join(cells)
    elif kind == 4:  # one field too many or too few
        lines[i] = lines[i] + "," if rng.random() < 0.5 else lines[i].rsplit(",", 1)[0]
    elif kind == 5:  # a header cell renamed or doubled
        cells = lines[0].split(",")
        j = rng.randrange(len(cells))
        cells[j] = rng.choice([cells[(j + 1) % len(cells)], "", "x", '"'])
        lines[0] = ",".join(cells)
    elif kind == 6:  # a row doubled (a duplicate id) or dropped
        lines.insert(i, lines[i]) if rng.random() < 0.5 else lines.pop(i)
    elif kind == 7:
        lines = lines[:i]  # cut off (possibly to nothing)
    elif kind == 8:
        return "\ufeff" + "\r\n".join(lines) if rng.random() < 0.5 else text.replace(",", ";", rng.randint(1, 50))
    else:
        return _byte_mutation(rng, text.encode()).decode("utf-8", "surrogateescape")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------ the checks

def _invoke(args: list[str]) -> Any:
    result = CliRunner().invoke(app, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"rankaudit {' '.join(args[:3])} ...: escaped exception") from result.exception
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output[-2000:])
    assert "internal error" not in result.output and "Traceback" not in result.output, result.output[-2000:]
    return result


def _errors(entry: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from (e for e in entry.get("errors") or [] if e.get("severity", "error") == "error")


def _check_located(stdout: str, names: set[str]) -> int:
    report = json.loads(stdout)
    assert isinstance(report, list)
    seen = 0
    for entry in report:
        for error in _errors(entry):
            seen += 1
            where = error.get("file") or entry.get("file")
            assert where and error.get("line") is not None, (entry.get("file"), error)
        names.discard(entry.get("file"))
    return seen


def _write(folder: Path, name: str, raw: bytes) -> Path:
    path = folder / name
    path.write_bytes(raw)
    return path


def test_mutated_specs_are_answered_cleanly_and_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(SEED)
    originals = [p.read_bytes() for p in SPECS]
    monkeypatch.chdir(tmp_path)  # relative names, as in a user's repository
    errors = 0
    codes: set[int] = set()
    for start in range(0, SPEC_CASES, SPEC_BATCH):
        batch = []
        for case in range(start, min(start + SPEC_BATCH, SPEC_CASES)):
            raw = rng.choice(originals)
            for _ in range(rng.randint(1, 3)):
                raw = rng.choice(SPEC_MUTATORS)(rng, raw)
            batch.append(_write(tmp_path, f"case{case:04d}.yaml", raw).name)
        # one batch in four is audited: the rules then run on every mutated spec of it that still loads
        command = "audit" if (start // SPEC_BATCH) % 4 == 3 else "validate"
        result = _invoke([command, "-f", "json", *batch, *(["-n", "0"] if command == "audit" else [])])
        codes.add(result.exit_code)
        missing = set(batch)
        errors += _check_located(result.stdout, missing)
        assert not missing, f"files without an entry in the JSON: {sorted(missing)[:5]}"
        for name in batch:
            Path(name).unlink()
    # the mutations do reach the checks (most cases are invalid), and no batch was a usage error
    assert errors > SPEC_CASES and codes <= {0, 1}, (errors, codes)


def test_mutated_data_files_are_answered_cleanly_and_located(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(SEED)
    spec = ASEM_SPEC.read_text(encoding="utf-8")
    original = ASEM_CSV.read_text(encoding="utf-8")
    assert "  values: asem.csv\n" in spec
    monkeypatch.chdir(tmp_path)
    failed = audited = 0
    for start in range(0, DATA_CASES, DATA_BATCH):
        batch = []
        for case in range(start, min(start + DATA_BATCH, DATA_CASES)):
            text = original
            for _ in range(rng.randint(1, 2)):
                text = _csv_mutation(rng, text)
            (tmp_path / f"d{case:04d}.csv").write_bytes(text.encode("utf-8", "surrogateescape"))
            name = f"d{case:04d}.yaml"
            (tmp_path / name).write_text(spec.replace("  values: asem.csv\n", f"  values: d{case:04d}.csv\n"),
                                         encoding="utf-8")
            batch.append(name)
        result = _invoke(["audit", "-n", "0", "-f", "json", *batch])
        missing = set(batch)
        _check_located(result.stdout, missing)
        assert not missing, f"specs without an entry in the JSON: {sorted(missing)[:5]}"
        for entry in json.loads(result.stdout):
            if entry.get("valid") is False:
                failed += 1
            else:
                audited += 1
    assert failed + audited == DATA_CASES and failed > DATA_CASES // 3 and audited > 0, (failed, audited)
