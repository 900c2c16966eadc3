"""The `rankaudit` command: a thin typer layer over the library.

Exit codes (as ruff's): 0 = every spec valid and above any --fail-under; 1 = a spec is invalid,
unreadable or scores below --fail-under; 2 = usage error (bad option, no such path) or internal
error. Heavy libraries are imported inside the commands that need them.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from rankaudit import __version__
from rankaudit.diagnostics import Diagnostic, SpecError
from rankaudit.inputs import UsageError, expand_paths
from rankaudit.report.formats import COMPARISONS, REPORTS, Format, RenderOptions
from rankaudit.report.sanitise import terminal_text

app = typer.Typer(
    name="rankaudit",
    help="Audit the methodology of city rankings: opacity, data freshness, comparability, quantitative bias "
    "and statistical robustness.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
_DEBUG = {"on": False}


# validate: its own text and JSON (one entry per file, valid or not), and the registry's CI formats,
# which show the errors as annotations, SARIF results and JUnit failures.
VALIDATE_CI_FORMATS = [f.name for f in REPORTS if f.machine and f.name not in ("json", "csv")]
ValidateFormat = StrEnum(  # type: ignore[misc]
    "ValidateFormat", {name: name for name in ["text", "json", *VALIDATE_CI_FORMATS]}
)
VALIDATE_DEFAULT = ValidateFormat("text")


# The choices come from the format registry, so that the CLI offers exactly what can be rendered.
AuditFormat = StrEnum("AuditFormat", {name: name for name in REPORTS.names()})  # type: ignore[misc]
CompareFormat = StrEnum("CompareFormat", {name: name for name in COMPARISONS.names()})  # type: ignore[misc]
COMPARE_DEFAULT = CompareFormat("terminal")


class RulesFormat(StrEnum):
    text = "text"
    json = "json"
    md = "md"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rankaudit {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback on internal errors.")] = False,
) -> None:
    _DEBUG["on"] = debug


def _usage(message: str) -> typer.Exit:
    typer.echo(f"rankaudit: error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def _files(paths: list[str]) -> list[str]:
    try:
        return expand_paths(paths)
    except UsageError as exc:
        raise _usage(str(exc)) from None


def _print_diagnostics(diagnostics: list[Diagnostic], *, err: bool = False) -> None:
    for d in diagnostics:
        prefix = "" if d.severity == "error" else "warning: "
        # file names and messages quote the input: control characters reach the terminal escaped
        typer.echo(terminal_text(f"{d.location()}: {d.code} {prefix}{d.message}"), err=err)


# --------------------------------------------------------------------------------------------- validate


@app.command()
def validate(
    paths: Annotated[list[str], typer.Argument(help="Spec files, folders (every *.yaml below), or - for stdin.")],
    format: Annotated[ValidateFormat, typer.Option("--format", "-f", help="Output format.")] = VALIDATE_DEFAULT,
) -> None:
    """Check that specs are well-formed: YAML, schema and semantic checks, each error at file:line:col."""
    from rankaudit.spec.load import check_files

    files = _files(paths)
    report: list[dict[str, Any]] = []
    failed: list[Any] = []
    invalid = 0
    for name, errors, warnings in check_files(files):  # in worker processes when there are many
        invalid += bool(errors)
        if errors:
            from rankaudit.audit import problem

            failed.append(problem(name, errors))
        report.append(
            {
                "file": name,
                "valid": not errors,
                "errors": [d.to_dict() for d in errors],
                "warnings": [d.to_dict() for d in warnings],
            }
        )
        if format.value == "text":
            _print_diagnostics(sorted(errors + warnings, key=lambda d: (d.line or 0, d.column or 0)))
    if format.value == "json":
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
    elif format.value in VALIDATE_CI_FORMATS:
        _write(REPORTS.render(format.value, [], RenderOptions(problems=failed)), None)
    else:
        plural = "s" if len(files) != 1 else ""
        verdict = "all valid" if not invalid else f"{invalid} invalid"
        typer.echo(f"{len(files)} spec{plural} checked: {verdict}", err=True)
    raise typer.Exit(EXIT_FAIL if invalid else EXIT_OK)


# --------------------------------------------------------------------------------------------- schema


@app.command()
def schema() -> None:
    """Print the JSON Schema (Draft 2020-12) of the spec format."""
    from rankaudit.spec.schema import spec_schema_text

    typer.echo(spec_schema_text(), nl=False)


# --------------------------------------------------------------------------------------------- rules


@app.command()
def rules(
    code: Annotated[str | None, typer.Argument(help="A rule code, e.g. OP01, to explain one rule.")] = None,
    format: Annotated[RulesFormat, typer.Option("--format", "-f", help="Output format.")] = RulesFormat.text,
) -> None:
    """List the rule catalogue, or explain one rule with its source and examples."""
    from rankaudit.rules import all_rules, get_rule
    from rankaudit.rules.docs import explain, explain_markdown, rules_json, rules_markdown, rules_table

    if code is None:
        catalogue = all_rules()
        if format is RulesFormat.json:
            typer.echo(json.dumps(rules_json(catalogue), indent=2, ensure_ascii=False))
        elif format is RulesFormat.md:
            typer.echo(rules_markdown(catalogue), nl=False)
        else:
            typer.echo(rules_table(catalogue), nl=False)
        return
    rule = get_rule(code)
    if rule is None:
        raise _usage(f"no rule {code!r}; run `rankaudit rules` for the list")
    if format is RulesFormat.json:
        typer.echo(json.dumps(rules_json([rule], full=True)[0], indent=2, ensure_ascii=False))
    elif format is RulesFormat.md:
        typer.echo(explain_markdown(rule), nl=False)
    else:
        typer.echo(explain(rule), nl=False)


# --------------------------------------------------------------------------------------------- audit


def _config(config_path: Path | None) -> Any:
    from rankaudit.config import Config, find_config, load_config
    from rankaudit.rules import all_rules

    path = config_path or find_config(Path.cwd())
    if config_path is not None and not config_path.is_file():
        raise _usage(f"{config_path}: no such configuration file")
    if path is None:
        return Config()
    try:
        return load_config(path, all_rules())
    except SpecError as exc:
        _print_diagnostics(exc.diagnostics, err=True)
        raise typer.Exit(EXIT_USAGE) from None


def _run_audits(
    files: list[str], config: Any, replications: int, seed: int, show_progress: bool
) -> tuple[list[Any], list[Diagnostic], list[Any]]:
    """Audit every file: (results, the diagnostics of the specs that failed, one Problem per failed spec)."""
    from rankaudit.audit import audit_file, problem
    from rankaudit.report.progress import progress_bar

    results, diagnostics, failed = [], [], []
    for file in files:
        try:
            with progress_bar(enabled=show_progress, label=Path(file).name) as progress:
                results.append(
                    audit_file(file, config, replications=replications, seed=seed, progress=progress)
                )
        except SpecError as exc:
            diagnostics.extend(exc.diagnostics)
            failed.append(problem(file, exc.diagnostics))
    return results, diagnostics, failed


ReplicationsOption = Annotated[
    int, typer.Option("--replications", "-n", min=0, help="Monte Carlo replications (0 skips the Monte Carlo).")
]
SeedOption = Annotated[
    int, typer.Option("--seed", min=0, help="Seed of the random numbers (0 or more); same seed, same result.")
]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="Configuration file (default: nearest .rankaudit.yaml or pyproject).")
]


def _terminal_options() -> RenderOptions:
    """Colour and width of the terminal format as rich detects them for stdout (NO_COLOR, TERM, COLUMNS)."""
    from rich.console import Console

    probe = Console()
    return RenderOptions(color=probe.is_terminal and probe.color_system is not None, width=probe.width)


def _chosen(registry_format: str | None, output: str | None, default: str) -> Format[Any]:
    """The format asked for, else the one the output file's suffix names, else the default."""
    if registry_format is not None:
        return REPORTS.get(registry_format)
    if output not in (None, "-"):
        inferred = REPORTS.for_path(output)
        if inferred is not None:
            return inferred
    return REPORTS.get(default)


@app.command()
def audit(
    paths: Annotated[list[str], typer.Argument(help="Spec files or folders.")],
    format: Annotated[
        AuditFormat | None,
        typer.Option("--format", "-f", help="Output format (default: from the --output suffix, else terminal)."),
    ] = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Write to this file ('-' = stdout).")] = None,
    fail_under: Annotated[
        float | None, typer.Option("--fail-under", min=0, max=100, help="Exit 1 when a spec's overall score is below.")
    ] = None,
    replications: ReplicationsOption = 1000,
    seed: SeedOption = 1,
    config_path: ConfigOption = None,
    allow_empty: Annotated[
        bool,
        typer.Option(
            "--allow-empty",
            help="Write the --output file even when no spec could be audited (e.g. a SARIF log of the errors "
            "for an upload step); by default the previous file is kept.",
        ),
    ] = False,
) -> None:
    """Score specs for opacity, freshness, comparability, quantitative bias (and statistics, with data)."""
    from rankaudit.audit import gate

    fmt = _chosen(format.value if format is not None else None, output, "terminal")
    files = _files(paths)
    config = _config(config_path)
    threshold = fail_under if fail_under is not None else config.fail_under
    to_terminal = fmt.name == "terminal" and output in (None, "-")
    show_progress = to_terminal and sys.stdout is not None and sys.stdout.isatty()
    results, problems, failed = _run_audits(files, config, replications, seed, show_progress)
    # in machine formats stdout stays parseable: the validate messages go to stderr
    _print_diagnostics(problems, err=not to_terminal)
    gates = [gate(r, threshold) for r in results]
    terminal = _terminal_options() if to_terminal else RenderOptions()
    # on the terminal the messages were just printed; every other output lists the failed specs itself
    options = RenderOptions(
        gates=gates, problems=[] if to_terminal else failed, color=terminal.color, width=terminal.width
    )
    if not results and output not in (None, "-") and not allow_empty:
        # a run that audited nothing must not replace a good report with an empty one
        typer.echo(
            terminal_text(
                f"rankaudit: error: no spec could be audited; {output} was not written and keeps its previous "
                "content (--allow-empty writes it anyway)"
            ),
            err=True,
        )
        raise typer.Exit(EXIT_FAIL)
    _write(fmt.render(results, options), output)
    if fmt.name == "github":
        # annotations are capped per step; the job summary carries every finding
        from rankaudit.report.github import append_step_summary

        try:
            append_step_summary(results)
        except OSError as exc:
            typer.echo(f"rankaudit: error: cannot append the job summary: {exc.strerror or exc}", err=True)
            raise typer.Exit(EXIT_FAIL) from None
    failed = bool(problems) or not all(g.passed for g in gates)
    raise typer.Exit(EXIT_FAIL if failed else EXIT_OK)


def _write(text: str, output: str | None) -> None:
    from rankaudit.report.write import write_output

    if output in (None, "-"):
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        write_output(Path(output), text)
    except OSError as exc:
        typer.echo(terminal_text(f"rankaudit: error: cannot write {output}: {exc.strerror or exc}"), err=True)
        raise typer.Exit(EXIT_FAIL) from None


# --------------------------------------------------------------------------------------------- report


@app.command()
def report(
    spec: Annotated[str, typer.Argument(help="One spec file.")],
    output: Annotated[str, typer.Option("--output", "-o", help="Report file ('-' = stdout).")] = "-",
    format: Annotated[
        AuditFormat | None,
        typer.Option("--format", "-f", help="Format (default: from the file suffix; json on stdout)."),
    ] = None,
    replications: ReplicationsOption = 1000,
    seed: SeedOption = 1,
    config_path: ConfigOption = None,
) -> None:
    """Write a report of one spec, in any format of `rankaudit audit` (html, md, json, sarif...)."""
    if format is None and output != "-" and REPORTS.for_path(output) is None:
        raise _usage(f"cannot tell the format of {output!r} from its suffix; give --format")
    fmt = _chosen(format.value if format is not None else None, output, "json")
    files = _files([spec])
    config = _config(config_path)
    results, problems, _ = _run_audits(files, config, replications, seed, show_progress=False)
    if problems:
        _print_diagnostics(problems, err=True)
        raise typer.Exit(EXIT_FAIL)
    _write(fmt.render(results), output)
    if output != "-":
        typer.echo(f"wrote {output}", err=True)


# --------------------------------------------------------------------------------------------- compare


@app.command()
def compare(
    paths: Annotated[list[str], typer.Argument(help="Spec files or folders.")],
    format: Annotated[CompareFormat, typer.Option("--format", "-f", help="Output format.")] = COMPARE_DEFAULT,
    replications: ReplicationsOption = 0,
    seed: SeedOption = 1,
    config_path: ConfigOption = None,
) -> None:
    """Compare rankings side by side: one row per spec, sorted by overall score."""
    from rankaudit.compare import build_comparison

    fmt = COMPARISONS.get(format.value)
    files = _files(paths)
    config = _config(config_path)
    results, problems, _ = _run_audits(files, config, replications, seed, show_progress=False)
    _print_diagnostics(problems, err=fmt.name != "terminal")
    comparison = build_comparison(results)
    _write(fmt.render(comparison, _terminal_options() if fmt.name == "terminal" else None), None)
    raise typer.Exit(EXIT_FAIL if problems else EXIT_OK)


# --------------------------------------------------------------------------------------------- migrate


@app.command()
def migrate(
    paths: Annotated[list[str], typer.Argument(help="Spec files or folders (every *.yaml below).")],
    write: Annotated[bool, typer.Option("--write", help="Rewrite the files in place (default: print a diff).")] = False,
) -> None:
    """Rewrite `undisclosed_means: not_in_sources_read` specs so that facts can be verified one by one.

    Every bare `undisclosed` becomes `unknown` and the default becomes `undisclosed_means: verified`: the
    audit is the same, and single facts may then be marked `undisclosed` once the publisher's own document
    has been read. Comments and layout are kept. Without --write, a unified diff goes to stdout.
    """
    from rankaudit.spec.load import read_spec_bytes
    from rankaudit.spec.migrate import migrate_text

    files = _files(paths)
    invalid = 0
    for file in files:
        if write and file == "-":
            raise _usage("--write needs files, not stdin")
        try:
            migration = migrate_text(read_spec_bytes(file), file)
        except SpecError as exc:
            invalid += 1
            _print_diagnostics(exc.diagnostics, err=True)
            continue
        except OSError as exc:
            invalid += 1
            typer.echo(terminal_text(f"rankaudit: error: cannot read {file}: {exc.strerror or exc}"), err=True)
            continue
        if write and migration.changed:
            _write(migration.migrated, file)
        elif not write:
            sys.stdout.write(migration.diff())
        typer.echo(terminal_text(f"{file}: {migration.reason}"), err=True)
    raise typer.Exit(EXIT_FAIL if invalid else EXIT_OK)


# --------------------------------------------------------------------------------------------- entry point


def _stderr(message: str) -> None:
    if sys.stderr is not None:
        with contextlib.suppress(OSError):
            sys.stderr.write(message + "\n")


def _tolerate_encoding() -> None:
    """Write what the streams can encode: a character that PYTHONIOENCODING=ascii, latin-1 or the C
    locale cannot carry becomes '?', instead of a UnicodeEncodeError in the middle of a report."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def main() -> None:
    """Entry point: no input may produce a traceback; an internal error exits 2 with a message."""
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        _stderr("rankaudit: error: standard output is closed")
        sys.exit(EXIT_FAIL)
    _tolerate_encoding()
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        typer.echo("rankaudit: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        # the reader went away (e.g. `| head`); leave quietly without a second error on flush
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_FAIL)
    except OSError as exc:
        # output that cannot be written (a full disk, a closed stream) is a failure to deliver, not a bug
        _stderr(f"rankaudit: error: cannot write output: {exc.strerror or exc}")
        sys.exit(EXIT_FAIL)
    except Exception as exc:
        if _DEBUG["on"] or "--debug" in sys.argv:
            raise
        typer.echo(
            f"rankaudit: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in rankaudit; run again with --debug for the traceback and report it.",
            err=True,
        )
        sys.exit(EXIT_USAGE)


if __name__ == "__main__":
    main()
