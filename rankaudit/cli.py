"""The `rankaudit` command: a thin typer layer over the library.

Exit codes (as ruff's): 0 = every spec valid and above any --fail-under; 1 = a spec is invalid,
unreadable or scores below --fail-under; 2 = usage error (bad option, no such path) or internal
error. Heavy libraries are imported inside the commands that need them.
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import difflib
import gc
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperCommand

from rankaudit import __version__
from rankaudit.diagnostics import Diagnostic, SpecError
from rankaudit.inputs import UsageError, expand_paths
from rankaudit.report.formats import CLAIMS, COMPARISONS, QUESTIONS, REPORTS, RERANKS, Format, Registry, RenderOptions
from rankaudit.report.sanitise import terminal_text


class _Argument(TyperArgument):
    """A positional argument as ruff's help shows it: `PATH...` on the usage line (typer would print
    `{paths}...`) and no Python type (`<list[str]>`) beside it."""

    def _usage_display_name(self) -> str:
        name = self.metavar or self.name.upper()
        return name if self.required else f"[{name}]"

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


class _Command(TyperCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperArgument):
                param.__class__ = _Argument


app = typer.Typer(
    name="rankaudit",
    help="Audit the methodology of city rankings: opacity, data freshness, comparability, quantitative bias "
    "and statistical robustness.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish, PowerShell)
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
_command = app.command(cls=_Command)

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class ColorChoice(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


@dataclass
class _Run:
    """Options that may come before the command (`rankaudit -q audit`) or after it (`audit -q`)."""

    debug: bool = False
    quiet: bool = False
    verbose: bool = False
    color: ColorChoice = ColorChoice.auto


_RUN = _Run()


# --------------------------------------------------------------------------------------------- formats

# One vocabulary of format names for every command, the report registry's; older names stay accepted.
FORMAT_ALIASES = {"text": "terminal", "markdown": "md"}
VALIDATE_FORMATS = ["terminal", "json", *(f.name for f in REPORTS if f.machine and f.name != "json")]
RULES_FORMATS = ["terminal", "json", "md"]


def _format_option(names: list[str], default_help: str) -> Any:
    """A --format/-f option offering `names` (aliases accepted, a misspelling gets a "did you mean")."""

    def check(value: str | None) -> str | None:
        if value is None:
            return None
        name = FORMAT_ALIASES.get(value.lower(), value.lower())
        if name not in names:
            hint = difflib.get_close_matches(value.lower(), [*names, *FORMAT_ALIASES], n=1)
            suggestion = f"; did you mean {FORMAT_ALIASES.get(hint[0], hint[0])!r}?" if hint else ""
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(names)}{suggestion}")
        return name

    return typer.Option(
        "--format", "-f", metavar="[" + "|".join(names) + "]", callback=check, help=f"Output format ({default_help})."
    )


def _chosen(
    given: str | None, output: str | None, default: str, names: list[str], registry: Registry[Any] = REPORTS
) -> str:
    """The format asked for, else the one the --output file's suffix names, else the default."""
    if given is not None:
        return given
    if output in (None, "-"):
        return default
    inferred = registry.for_path(output)
    if inferred is None or inferred.name not in names:
        suffixes = ", ".join(s for f in registry if f.name in names for s in f.suffixes)
        raise _usage(terminal_text(f"cannot tell the format of {output!r} from its suffix ({suffixes}); give --format"))
    return inferred.name


# --------------------------------------------------------------------------------------------- shared options

QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print the diagnostics and the report only: no summary, no progress.")
]
VerboseOption = Annotated[
    bool, typer.Option("--verbose", "-v", help="Also print the configuration used and each file's timing.")
]
ColorOption = Annotated[
    ColorChoice | None,
    typer.Option(
        "--color",
        help="Colour on the terminal: auto (when stdout is a terminal and NO_COLOR is not set; FORCE_COLOR "
        "forces it), always, never.  [default: auto]",
    ),
]
ExitZeroOption = Annotated[
    bool,
    typer.Option(
        "--exit-zero", help="Exit 0 even when a spec is invalid or fails --fail-under (usage errors still exit 2)."
    ),
]
OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output", "-o", metavar="FILE", help="Write to this file ('-' = stdout); its suffix sets the format."
    ),
]
SelectOption = Annotated[
    list[str] | None,
    typer.Option(
        "--select",
        metavar="CODES",
        help="Rules to run: codes or prefixes, comma-separated or repeated (OP,FR03; ALL). Replaces the "
        "configuration's select and ignore.",
    ),
]
IgnoreOption = Annotated[
    list[str] | None,
    typer.Option("--ignore", metavar="CODES", help="Rules to skip, added to the configuration's ignore list."),
]
ReplicationsOption = Annotated[
    int, typer.Option("--replications", "-n", min=0, help="Monte Carlo replications (0 skips the Monte Carlo).")
]
SeedOption = Annotated[
    int, typer.Option("--seed", min=0, help="Seed of the random numbers (0 or more); same seed, same result.")
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", metavar="FILE", help="Configuration file (default: nearest .rankaudit.yaml or pyproject)."
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rankaudit {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback on internal errors.")] = False,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
    color: ColorOption = None,
) -> None:
    _RUN.debug, _RUN.quiet, _RUN.verbose = debug, quiet, verbose
    _RUN.color = color or ColorChoice.auto


def _settle(quiet: bool, verbose: bool, color: ColorChoice | None) -> None:
    """Merge a command's -q/-v/--color with the ones given before the command."""
    _RUN.quiet = _RUN.quiet or quiet
    _RUN.verbose = _RUN.verbose or verbose
    if _RUN.quiet and _RUN.verbose:
        raise _usage("--quiet and --verbose cannot be used together")
    if color is not None:
        _RUN.color = color


def use_color(choice: ColorChoice, is_terminal: bool, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether to colour: --color always/never decide; under auto, NO_COLOR (set and not empty, as
    no-color.org says) turns colour off, FORCE_COLOR (not empty and not 0) turns it on for pipes and CI
    logs, and otherwise a terminal (not TERM=dumb) gets colour."""
    if choice is not ColorChoice.auto:
        return choice is ColorChoice.always
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    return is_terminal and environ.get("TERM") != "dumb"


def _stdout_color() -> bool:
    return use_color(_RUN.color, sys.stdout is not None and sys.stdout.isatty())


def _info(message: str) -> None:
    """A -v message, on stderr (stdout carries the report)."""
    if _RUN.verbose:
        typer.echo(terminal_text(f"rankaudit: {message}"), err=True)


def _exit(failed: bool, exit_zero: bool) -> typer.Exit:
    return typer.Exit(EXIT_FAIL if failed and not exit_zero else EXIT_OK)


def _usage(message: str) -> typer.Exit:
    typer.echo(f"rankaudit: error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def _files(paths: list[str]) -> list[str]:
    try:
        return expand_paths(paths)
    except UsageError as exc:
        raise _usage(str(exc)) from None


def _diagnostic_line(d: Diagnostic, color: bool = False) -> str:
    """`file:line:col: CODE message`, as ruff prints it (the code coloured by severity on a terminal)."""
    prefix = "" if d.severity == "error" else "warning: "
    # file names and messages quote the input: control characters reach the terminal escaped
    where, code, message = (terminal_text(x) for x in (d.location(), d.code, f"{prefix}{d.message}"))
    if color:
        where = typer.style(where, bold=True)
        code = typer.style(code, fg="red" if d.severity == "error" else "yellow", bold=True)
    return f"{where}: {code} {message}"


def _print_diagnostics(diagnostics: list[Diagnostic], *, err: bool = False, color: bool = False) -> None:
    for d in diagnostics:
        typer.echo(_diagnostic_line(d, color), err=err, color=color)


# --------------------------------------------------------------------------------------------- validate


@_command
def validate(
    paths: Annotated[
        list[str], typer.Argument(metavar="PATH...", help="Spec files, folders (every *.yaml below), or - for stdin.")
    ],
    format: Annotated[
        str | None, _format_option(VALIDATE_FORMATS, "default: from the --output suffix, else terminal")
    ] = None,
    output: OutputOption = None,
    exit_zero: ExitZeroOption = False,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
    color: ColorOption = None,
) -> None:
    """Check that specs and the data files they link are well-formed: YAML, schema, semantic and data
    checks, each error at file:line:col. Runs no rules, so it takes no --select, --ignore or --config."""
    from rankaudit.spec.load import check_files

    _settle(quiet, verbose, color)
    name = _chosen(format, output, "terminal", VALIDATE_FORMATS)
    files = _files(paths)
    to_stdout = output in (None, "-")
    colored = to_stdout and _stdout_color()
    report: list[dict[str, Any]] = []
    failed: list[tuple[str, list[Diagnostic]]] = []
    lines: list[Diagnostic] = []
    started = time.perf_counter()
    for file, errors, warnings in check_files(files):  # in worker processes when there are many
        if errors:
            failed.append((file, errors))
        report.append(
            {
                "file": file,
                "valid": not errors,
                "errors": [d.to_dict() for d in errors],
                "warnings": [d.to_dict() for d in warnings],
            }
        )
        found = sorted(errors + warnings, key=lambda d: (d.line or 0, d.column or 0))
        if name == "terminal" and to_stdout:
            _print_diagnostics(found, color=colored)
        lines.extend(found)
    if name == "json":
        import json

        _write(json.dumps(report, indent=2, ensure_ascii=False) + "\n", output)
    elif name != "terminal":
        # only the report formats need the engine's Problem objects (`rankaudit.audit` imports the rules)
        from rankaudit.audit import problem

        problems = [problem(file, errors) for file, errors in failed]
        _write(REPORTS.render(name, [], RenderOptions(problems=problems)), output)
    elif not to_stdout:
        _write("".join(_diagnostic_line(d) + "\n" for d in lines), output)
    if not _RUN.quiet:
        plural = "s" if len(files) != 1 else ""
        verdict = "all valid" if not failed else f"{len(failed)} invalid"
        typer.echo(f"{len(files)} spec{plural} checked: {verdict}", err=True)
    _info(f"checked {len(files)} file{'s' if len(files) != 1 else ''} in {time.perf_counter() - started:.2f} s")
    raise _exit(bool(failed), exit_zero)


# --------------------------------------------------------------------------------------------- schema


@_command
def schema(output: OutputOption = None) -> None:
    """Print the JSON Schema (Draft 2020-12) of the spec format (its one format is json)."""
    from rankaudit.spec.schema import spec_schema_text

    _write(spec_schema_text(), output)


# --------------------------------------------------------------------------------------------- rules


@_command
def rules(
    code: Annotated[
        str | None, typer.Argument(metavar="CODE", help="A rule code, e.g. OP01, to explain one rule.")
    ] = None,
    format: Annotated[
        str | None, _format_option(RULES_FORMATS, "default: from the --output suffix, else terminal")
    ] = None,
    output: OutputOption = None,
) -> None:
    """List the rule catalogue, or explain one rule with its source and examples."""
    import json

    from rankaudit.rules import all_rules, get_rule
    from rankaudit.rules.docs import explain, explain_markdown, rules_json, rules_markdown, rules_table

    name = _chosen(format, output, "terminal", RULES_FORMATS)
    if code is None:
        catalogue = all_rules()
        if name == "json":
            text = json.dumps(rules_json(catalogue), indent=2, ensure_ascii=False) + "\n"
        else:
            text = rules_markdown(catalogue) if name == "md" else rules_table(catalogue)
        _write(text, output)
        return
    rule = get_rule(code)
    if rule is None:
        from rankaudit.api import rule_hint

        raise _usage(terminal_text(f"no rule {code!r}{rule_hint(code, [r.code for r in all_rules()])}"))
    if name == "json":
        text = json.dumps(rules_json([rule], full=True)[0], indent=2, ensure_ascii=False) + "\n"
    else:
        text = explain_markdown(rule) if name == "md" else explain(rule)
    _write(text, output)


# --------------------------------------------------------------------------------------------- audit


def _split(codes: list[str] | None) -> list[str] | None:
    """`--select OP,FR03 --select QB` -> ["OP", "FR03", "QB"]; None when the option was not given."""
    if codes is None:
        return None
    return [c for value in codes for c in value.split(",") if c.strip()]


def _config(config_path: Path | None, select: list[str] | None = None, ignore: list[str] | None = None) -> Any:
    """The configuration file's settings with --select/--ignore layered on top (the command line wins)."""
    from rankaudit.api import with_rules
    from rankaudit.config import Config, find_config, load_config
    from rankaudit.rules import all_rules

    path = config_path or find_config(Path.cwd())
    if config_path is not None and not config_path.is_file():
        raise _usage(terminal_text(f"{config_path}: no such configuration file"))
    config = Config()
    if path is not None:
        try:
            config = load_config(path, all_rules())
        except SpecError as exc:
            _print_diagnostics(exc.diagnostics, err=True)
            raise typer.Exit(EXIT_USAGE) from None
    try:
        config = with_rules(config, _split(select), _split(ignore) or [])
    except ValueError as exc:
        raise _usage(terminal_text(str(exc))) from None
    _info(
        f"configuration: {path or 'none found (defaults)'}; select {config.select or ['ALL']}, "
        f"ignore {config.ignore or []}, fail-under {config.fail_under}"
    )
    return config


def _run_audits(
    files: list[str], config: Any, replications: int, seed: int, show_progress: bool
) -> tuple[list[Any], list[Diagnostic], list[Any]]:
    """Audit every file: (results, the diagnostics of the specs that failed, one Problem per failed spec)."""
    from rankaudit.audit import audit_file, problem
    from rankaudit.report.progress import progress_bar

    results, diagnostics, failed = [], [], []
    for file in files:
        started = time.perf_counter()
        try:
            with progress_bar(enabled=show_progress, label=Path(file).name) as progress:
                results.append(audit_file(file, config, replications=replications, seed=seed, progress=progress))
        except SpecError as exc:
            diagnostics.extend(exc.diagnostics)
            failed.append(problem(file, exc.diagnostics))
        _info(f"{file}: {time.perf_counter() - started:.2f} s ({replications} replications, seed {seed})")
    return results, diagnostics, failed


def _terminal_options() -> RenderOptions:
    """Colour (--color, NO_COLOR, FORCE_COLOR) and width (COLUMNS, the terminal's) of the terminal format."""
    from rich.console import Console

    return RenderOptions(color=_stdout_color(), width=Console().width)


REPORT_FORMATS = REPORTS.names()


@_command
def audit(
    paths: Annotated[list[str], typer.Argument(metavar="PATH...", help="Spec files or folders.")],
    format: Annotated[
        str | None, _format_option(REPORT_FORMATS, "default: from the --output suffix, else terminal")
    ] = None,
    output: OutputOption = None,
    fail_under: Annotated[
        float | None, typer.Option("--fail-under", min=0, max=100, help="Exit 1 when a spec's overall score is below.")
    ] = None,
    replications: ReplicationsOption = 1000,
    seed: SeedOption = 1,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    config_path: ConfigOption = None,
    allow_empty: Annotated[
        bool,
        typer.Option(
            "--allow-empty",
            help="Write the --output file even when no spec could be audited (e.g. a SARIF log of the errors "
            "for an upload step); by default the previous file is kept.",
        ),
    ] = False,
    exit_zero: ExitZeroOption = False,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
    color: ColorOption = None,
) -> None:
    """Score specs for opacity, freshness, comparability, quantitative bias (and statistics, with data)."""
    from rankaudit.audit import gate

    _settle(quiet, verbose, color)
    fmt = REPORTS.get(_chosen(format, output, "terminal", REPORT_FORMATS))
    files = _files(paths)
    config = _config(config_path, select, ignore)
    threshold = fail_under if fail_under is not None else config.fail_under
    to_terminal = fmt.name == "terminal" and output in (None, "-")
    show_progress = to_terminal and not _RUN.quiet and sys.stdout is not None and sys.stdout.isatty()
    results, problems, failed = _run_audits(files, config, replications, seed, show_progress)
    # in machine formats stdout stays parseable: the validate messages go to stderr
    _print_diagnostics(problems, err=not to_terminal, color=to_terminal and _stdout_color())
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
        raise _exit(True, exit_zero)
    _write(fmt.render(results, options), output)
    if fmt.name == "github":
        # annotations are capped per step; the job summary carries every finding
        from rankaudit.report.github import append_step_summary

        try:
            append_step_summary(results)
        except OSError as exc:
            typer.echo(f"rankaudit: error: cannot append the job summary: {exc.strerror or exc}", err=True)
            raise typer.Exit(EXIT_FAIL) from None
    raise _exit(bool(problems) or not all(g.passed for g in gates), exit_zero)


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
    if not _RUN.quiet:
        typer.echo(terminal_text(f"wrote {output}"), err=True)


# --------------------------------------------------------------------------------------------- report


@_command
def report(
    spec: Annotated[str, typer.Argument(metavar="SPEC", help="One spec file.")],
    output: OutputOption = None,
    format: Annotated[
        str | None, _format_option(REPORT_FORMATS, "default: from the --output suffix, else json")
    ] = None,
    replications: ReplicationsOption = 1000,
    seed: SeedOption = 1,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    config_path: ConfigOption = None,
    exit_zero: ExitZeroOption = False,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
    color: ColorOption = None,
) -> None:
    """Write a report of one spec, in any format of `rankaudit audit` (html, md, json, sarif...)."""
    _settle(quiet, verbose, color)
    fmt = REPORTS.get(_chosen(format, output, "json", REPORT_FORMATS))
    files = _files([spec])
    config = _config(config_path, select, ignore)
    results, problems, _ = _run_audits(files, config, replications, seed, show_progress=False)
    if problems:
        _print_diagnostics(problems, err=True)
        raise _exit(True, exit_zero)
    to_terminal = fmt.name == "terminal" and output in (None, "-")
    _write(fmt.render(results, _terminal_options() if to_terminal else None), output)


# --------------------------------------------------------------------------------------------- compare

COMPARE_FORMATS = COMPARISONS.names()


@_command
def compare(
    paths: Annotated[list[str], typer.Argument(metavar="PATH...", help="Spec files or folders.")],
    format: Annotated[
        str | None, _format_option(COMPARE_FORMATS, "default: from the --output suffix, else terminal")
    ] = None,
    output: OutputOption = None,
    replications: ReplicationsOption = 0,
    seed: SeedOption = 1,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    config_path: ConfigOption = None,
    exit_zero: ExitZeroOption = False,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
    color: ColorOption = None,
) -> None:
    """Compare rankings side by side: one row per spec, sorted by overall score."""
    from rankaudit.compare import build_comparison

    _settle(quiet, verbose, color)
    fmt = COMPARISONS.get(_chosen(format, output, "terminal", COMPARE_FORMATS, COMPARISONS))
    files = _files(paths)
    config = _config(config_path, select, ignore)
    results, problems, _ = _run_audits(files, config, replications, seed, show_progress=False)
    to_terminal = fmt.name == "terminal" and output in (None, "-")
    _print_diagnostics(problems, err=not to_terminal, color=to_terminal and _stdout_color())
    comparison = build_comparison(results)
    _write(fmt.render(comparison, _terminal_options() if to_terminal else None), output)
    raise _exit(bool(problems), exit_zero)


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


# ------------------------------------------------------------------------------------ claims, rerank, questions
# The what-if commands of issue 14. Thin: parse, call the library, render through a registry.
# Exit 1: the spec, its data or the question cannot be answered (located message); exit 2: usage.



ClaimsFormat = StrEnum("ClaimsFormat", {name: name for name in CLAIMS.names()})  # type: ignore[misc]  # members come from the registry: mypy cannot see them
RerankFormat = StrEnum("RerankFormat", {name: name for name in RERANKS.names()})  # type: ignore[misc]  # members come from the registry: mypy cannot see them
QuestionsFormat = StrEnum("QuestionsFormat", {name: name for name in QUESTIONS.names()})  # type: ignore[misc]  # members come from the registry: mypy cannot see them


@contextlib.contextmanager
def _native_stdout_silenced() -> Iterator[None]:
    """HiGHS (scipy's LP/MILP solver) can print a stray line on the C-level stdout (some builds do),
    which would corrupt JSON on stdout: the descriptor points at /dev/null while the library computes."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no descriptor 1 to protect
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _one_spec(path: str) -> Any:
    """The loaded spec of a single file; its diagnostics and exit 1 when it cannot be loaded."""
    from rankaudit.spec.load import load_spec

    files = _files([path])
    if len(files) != 1:
        raise _usage(f"{path}: give one spec file, not {len(files)}")
    try:
        return load_spec(files[0])
    except SpecError as exc:
        _print_diagnostics(exc.diagnostics, err=True)
        raise typer.Exit(EXIT_FAIL) from None
    except OSError as exc:
        typer.echo(terminal_text(f"rankaudit: error: cannot read {path}: {exc.strerror or exc}"), err=True)
        raise typer.Exit(EXIT_FAIL) from None


def _title(loaded: Any) -> str:
    r = loaded.spec.ranking
    return f"{r.name} {r.edition}".strip()


def _failed(loaded: Any, message: str) -> typer.Exit:
    typer.echo(terminal_text(f"{loaded.file}: error: {message}"), err=True)
    return typer.Exit(EXIT_FAIL)


def _format_of(registry: Registry[Any], chosen: StrEnum | None, output: str | None, default: str) -> Format[Any]:
    if chosen is not None:
        return registry.get(chosen.value)
    inferred = registry.for_path(output) if output is not None and output != "-" else None
    return inferred or registry.get(default)


def _answer(loaded: Any, fmt: Format[Any], output: str | None, errors: tuple[type[Exception], ...],
            compute: Callable[[], Any]) -> None:
    """Compute an answer and render it, titled with the ranking; its errors as located messages (exit 1)."""
    from rankaudit.report.whatif import Titled

    try:
        body = compute()
    except SpecError as exc:
        _print_diagnostics(exc.diagnostics, err=True)
        raise typer.Exit(EXIT_FAIL) from None
    except errors as exc:
        raise _failed(loaded, str(exc)) from None
    _write(fmt.render(Titled(_title(loaded), body)), output)


@app.command()
def claims(
    spec: Annotated[str, typer.Argument(help="One spec file with a `data` section.")],
    cities: Annotated[list[str] | None, typer.Argument(help="Cities (id or name) to answer for; default: all.")] = None,
    claim: Annotated[
        list[str] | None,
        typer.Option("--claim", "-c", help="A claim to test: 'top 10', 'rank 3' or 'ahead of Vienna' (repeatable); "
                     "default: each city's own rank, round top N and the city just below."),
    ] = None,
    threshold: Annotated[
        float, typer.Option("--threshold", min=0.0, max=1.0,
                            help="Share of the plausible variants in which a claim must be true to hold.")
    ] = 0.9,
    replications: Annotated[
        int, typer.Option("--replications", "-n", min=1, help="Monte Carlo replications (the audit's default: 1000).")
    ] = 1000,
    seed: SeedOption = 1,
    format: Annotated[ClaimsFormat | None, typer.Option("--format", "-f", help="Output format.")] = None,
    output: OutputOption = None,
) -> None:
    """What each city's rank can claim ("12th", "top 10", "ahead of Vienna") under the audit's Monte Carlo."""
    from rankaudit.stats.claims import ClaimError, claims_from_spec
    from rankaudit.stats.model import ModelError

    fmt = _format_of(CLAIMS, format, output, "terminal")
    loaded = _one_spec(spec)
    _answer(loaded, fmt, output, (ClaimError, ModelError), lambda: claims_from_spec(
        loaded.spec, loaded.spec_dir, replications=replications, seed=seed, threshold=threshold,
        claims=claim or (), cities=cities or None, positions=loaded.positions, defaults=not claim))


def _weights_given(weights_file: Path | None, weight: list[str] | None) -> dict[str, float]:
    """--weights FILE (a YAML or JSON mapping id: value) and --weight ID=VALUE, the latter winning."""
    from rankaudit.inputs import read_capped
    from rankaudit.spec.yamlsafe import load_yaml

    given: dict[str, float] = {}
    if weights_file is not None:
        try:
            doc = load_yaml(read_capped(weights_file, 1 << 20), str(weights_file)).data
        except SpecError as exc:
            _print_diagnostics(exc.diagnostics, err=True)
            raise typer.Exit(EXIT_FAIL) from None
        except OSError as exc:
            typer.echo(terminal_text(f"rankaudit: error: cannot read {weights_file}: {exc.strerror or exc}"),
                       err=True)
            raise typer.Exit(EXIT_FAIL) from None
        for key, value in doc.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                typer.echo(terminal_text(f"{weights_file}: error: the weight of {key!r} must be a number, "
                                         f"got {value!r}"), err=True)
                raise typer.Exit(EXIT_FAIL)
            given[str(key)] = float(value)
    for item in weight or []:
        key, sep, value = item.partition("=")
        try:
            given[key.strip()] = float(value)
        except ValueError:
            raise _usage(f"--weight {item!r}: write ID=VALUE, e.g. --weight Environment=0.4") from None
        if not sep or not key.strip():
            raise _usage(f"--weight {item!r}: write ID=VALUE, e.g. --weight Environment=0.4")
    return given


@app.command()
def rerank(
    spec: Annotated[str, typer.Argument(help="One spec file with a `data` section.")],
    weights_file: Annotated[
        Path | None, typer.Option("--weights", help="A YAML or JSON file of weights: element id -> value.")
    ] = None,
    weight: Annotated[
        list[str] | None, typer.Option("--weight", "-w", help="One weight, ID=VALUE (repeatable).")
    ] = None,
    relative: Annotated[
        bool, typer.Option("--relative", help="Values are relative weights (divided by their siblings' sum), "
                           "not shares of the parent.")
    ] = False,
    target: Annotated[
        str | None, typer.Option("--target", "-t", help="'top N' or 'pass CITY': the smallest weight change "
                                 "that achieves it (for --city, or every city for 'top N').")
    ] = None,
    city: Annotated[str | None, typer.Option("--city", help="The city of --target (id or name).")] = None,
    stability_n: Annotated[
        int | None, typer.Option("--stability", min=1, help="How far the weights can move before the top N changes.")
    ] = None,
    node: Annotated[
        str | None, typer.Option("--node", help="Whose child weights --target and --stability move (default: the "
                                 "index's).")
    ] = None,
    format: Annotated[RerankFormat | None, typer.Option("--format", "-f", help="Output format.")] = None,
    output: OutputOption = None,
) -> None:
    """The ranking under your own weights, and how far the weights must move to change it."""
    from rankaudit.stats.rerank import WhatIfError, rerank_from_spec

    given = _weights_given(weights_file, weight)
    if not given and target is None and stability_n is None:
        raise _usage("give weights (--weights FILE or --weight ID=VALUE), a --target or --stability N")
    if city is not None and target is None:
        raise _usage("--city goes with --target")
    fmt = _format_of(RERANKS, format, output, "terminal")
    loaded = _one_spec(spec)

    def compute() -> Any:
        with _native_stdout_silenced():
            return rerank_from_spec(loaded.spec, loaded.spec_dir, loaded.positions, weights=given or None,
                                    mode="relative" if relative else "share", target=target, city=city,
                                    stability_n=stability_n, node=node)

    _answer(loaded, fmt, output, (WhatIfError, ValueError), compute)


@app.command()
def questions(
    spec: Annotated[str, typer.Argument(help="One spec file.")],
    format: Annotated[QuestionsFormat | None, typer.Option("--format", "-f", help="Output format.")] = None,
    output: OutputOption = None,
    config_path: ConfigOption = None,
) -> None:
    """The due-diligence letter: one question to the publisher per undisclosed fact and unmet rule."""
    from rankaudit.questions import letter_for

    fmt = _format_of(QUESTIONS, format, output, "text")
    files = _files([spec])
    if len(files) != 1:
        raise _usage(f"{spec}: give one spec file, not {len(files)}")
    config = _config(config_path)
    # the letter reads the methodology audit only: no Monte Carlo
    results, problems, _ = _run_audits(files, config, 0, 1, show_progress=False)
    if problems:
        _print_diagnostics(problems, err=True)
        raise typer.Exit(EXIT_FAIL)
    # the spec itself too: the facts it marks absent that no rule reads are asked as well
    _write(fmt.render(letter_for(results[0], _one_spec(files[0]).spec)), output)



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


def _command_name(command: Any) -> str:
    return str(command.name or typer.main.get_command_name(command.callback.__name__))


def _app_for(args: list[str], environ: Mapping[str, str] = os.environ) -> typer.Typer:
    """The app to run for these arguments: the whole app, or the same app with one command only.

    Typer builds the click command of every registered command, each with its parameters, before it
    parses anything: for `rankaudit validate FILE`, about a tenth of what the run costs beyond a bare
    import of typer, pydantic and PyYAML (issue 16; 70 of some 620 million instructions). When the first
    argument names a command, that is the only command that can run, and every message the run can
    print (the command's help, usage and errors, the group's options before it) comes from that command
    and the group's callback, both kept; so the group is built with that command alone. Anything else
    (no command, an option first, a misspelt command, shell completion, whose scripts complete the
    command names) gets the whole app."""
    if not args or any(key.startswith("_") and key.endswith("_COMPLETE") for key in environ):
        return app
    chosen = [command for command in app.registered_commands if _command_name(command) == args[0]]
    if len(chosen) != 1:
        return app
    narrowed = copy.copy(app)  # a new list on the copy: `app` itself keeps every command
    narrowed.registered_commands = chosen
    return narrowed


def main() -> None:
    """Entry point: no input may produce a traceback; an internal error exits 2 with a message."""
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        _stderr("rankaudit: error: standard output is closed")
        sys.exit(EXIT_FAIL)
    _tolerate_encoding()
    # At exit the interpreter runs one last garbage collection over every object still alive: the
    # modules, pydantic's schemas and validators, the click commands (about 5% of a one-spec `validate`).
    # Nothing here needs it (files and the worker pool are closed by `with`, and Python does not promise
    # finalizers at exit anyway), so the objects are frozen out of it. As an exit handler, this happens
    # only when the process really ends, not when a caller catches SystemExit and goes on.
    atexit.register(gc.freeze)
    # Start-up allocates hundreds of thousands of long-lived objects (modules, classes, schemas), and
    # the youngest generation's threshold of 700 collects them again and again for nothing (1-2% of a
    # one-spec `validate`). A larger threshold still collects, less often; restored on the way out.
    threshold = gc.get_threshold()
    gc.set_threshold(50_000, *threshold[1:])
    try:
        _app_for(sys.argv[1:])()
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
        if _RUN.debug or "--debug" in sys.argv:
            raise
        typer.echo(
            f"rankaudit: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in rankaudit; run again with --debug for the traceback and report it.",
            err=True,
        )
        sys.exit(EXIT_USAGE)
    finally:
        gc.set_threshold(*threshold)



if __name__ == "__main__":
    main()
