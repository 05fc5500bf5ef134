"""Mutation score of the engine and transcript modules: would a test fail?

Each mutant is the module with one small change (``<`` for ``<=``, ``and`` for
``or``, a number plus one, a statement dropped, ``[-1]`` for ``[0]``...). It
is run, in its own process with a timeout, against the module's own tests
(``MODULES`` below): a mutant is *killed* when a test fails (or errors, or
times out), and it *survives* when every test passes, i.e. nothing would
notice that change.

Mutants are sampled with a fixed seed (``--sample``, ``--seed``; ``--all`` runs
every one). Some changes do not change behaviour at all (equivalent mutants,
such as ``max(0, x)`` for ``max(1, x)`` where ``x`` is never below 1): they are
listed, each with why, in ``bench/mutation_equivalent.toml`` and left out of
the score, which is ``killed / (sampled - equivalent)``.

    .venv/bin/python bench/mutation.py                      # every module, 100 mutants each
    .venv/bin/python bench/mutation.py state engine --jobs 2
    .venv/bin/python bench/mutation.py reader --all
    .venv/bin/python bench/mutation.py codec --list         # the sampled mutants, not run

The mutant replaces the module when it is imported (an import hook in the
test process); the files on disk never change, so an interrupted run leaves
nothing behind. Programs that the tests start anew (``python -m ndrc_oral``)
run the real module, as do tests that fork after the import (they keep the
mutant). The process group of each mutant is killed at its timeout.
"""

from __future__ import annotations

import argparse
import ast
import copy
import importlib.abc
import importlib.util
import os
import random
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENT_FILE = ROOT / "bench" / "mutation_equivalent.toml"

MODULES: dict[str, tuple[str, tuple[str, ...]]] = {
    # name: (module file, its own tests)
    "state": (
        "ndrc_oral/session/state.py",
        ("tests/test_engine.py", "tests/test_engine_properties.py", "tests/test_engine_edges.py"),
    ),
    "engine": (
        "ndrc_oral/session/engine.py",
        ("tests/test_engine.py", "tests/test_engine_properties.py", "tests/test_engine_edges.py"),
    ),
    "codec": (
        "ndrc_oral/transcript/codec.py",
        (
            "tests/test_transcript.py",
            "tests/test_transcript_damage.py",
            "tests/test_codec.py",
            # Files made by version 0.1 with their hashes: the canonical form behind the hash.
            "tests/test_fixtures_v1.py",
        ),
    ),
    "writer": (
        "ndrc_oral/transcript/writer.py",
        (
            "tests/test_transcript.py",
            "tests/faults/test_disk.py",
            "tests/faults/test_creation_kill.py",
            "tests/test_transcript_writer.py",
        ),
    ),
    "reader": (
        "ndrc_oral/transcript/reader.py",
        (
            "tests/test_transcript.py",
            "tests/test_transcript_damage.py",
            "tests/test_fixtures_v1.py",
            "tests/test_transcript_reader.py",
        ),
    ),
    "directory": (
        "ndrc_oral/transcript/directory.py",
        (
            "tests/test_transcript.py",
            "tests/faults/test_heartbeat.py",
            "tests/test_transcript_directory.py",
        ),
    ),
}

# --- the mutations ------------------------------------------------------------

_COMPARE: dict[type[ast.cmpop], tuple[type[ast.cmpop], ...]] = {
    # The boundary moved, then the test negated.
    ast.Lt: (ast.LtE, ast.GtE),
    ast.LtE: (ast.Lt, ast.Gt),
    ast.Gt: (ast.GtE, ast.LtE),
    ast.GtE: (ast.Gt, ast.Lt),
    ast.Eq: (ast.NotEq,),
    ast.NotEq: (ast.Eq,),
    ast.Is: (ast.IsNot,),
    ast.IsNot: (ast.Is,),
    ast.In: (ast.NotIn,),
    ast.NotIn: (ast.In,),
}
_BINOP: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.FloorDiv,
}
_SYMBOL = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.And: "and",
    ast.Or: "or",
}
_SWAPPED_CALLS = {"max": "min", "min": "max", "any": "all", "all": "any"}


@dataclass(frozen=True)
class Site:
    """One mutant: which node (its index in ``ast.walk`` order) and how it changes."""

    file: str
    node: int
    variant: int
    line: int
    col: int
    mutation: str
    code: str
    """The source line, stripped: with ``col`` and ``mutation`` it names the mutant
    in the equivalents list, so that lines moving elsewhere in the file do not matter."""

    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


def _skipped_nodes(tree: ast.Module) -> set[int]:
    """Nodes not to mutate: docstrings, annotations, asserts, imports, f-strings."""
    skipped: set[int] = set()

    def skip(node: ast.AST | None) -> None:
        if node is not None:
            skipped.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if _is_string_expr(node):  # a docstring, or a field's docstring after it
            skip(node)
        if isinstance(node, ast.arg):
            skip(node.annotation)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            skip(node.returns)
        if isinstance(node, ast.AnnAssign):
            skip(node.annotation)
        if isinstance(node, ast.Assert | ast.ImportFrom | ast.Import):
            skip(node)
        if isinstance(node, ast.JoinedStr):  # f-string parts: their text is the message's
            skip(node)
    return skipped


def _is_string_expr(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _declarations(tree: ast.Module) -> set[int]:
    """Statements of class bodies: fields and enum members, whose removal breaks at import."""
    return {
        id(stmt)
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        for stmt in node.body
        if isinstance(stmt, ast.Assign | ast.AnnAssign)
    }


def _variants(node: ast.AST, declaration: bool = False) -> list[tuple[str, ast.AST]]:
    """The mutants of one node: (description, replacement node)."""
    out: list[tuple[str, ast.AST]] = []
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            for new in _COMPARE.get(type(op), ()):
                mutated = copy.deepcopy(node)
                mutated.ops[i] = new()
                out.append((f"`{_SYMBOL[type(op)]}` -> `{_SYMBOL[new]}`", mutated))
    elif isinstance(node, ast.BinOp) and type(node.op) in _BINOP:
        new_op = _BINOP[type(node.op)]
        mutated = copy.deepcopy(node)
        mutated.op = new_op()
        out.append((f"`{_SYMBOL[type(node.op)]}` -> `{_SYMBOL[new_op]}`", mutated))
    elif isinstance(node, ast.AugAssign) and type(node.op) in _BINOP:
        new_op = _BINOP[type(node.op)]
        mutated = copy.deepcopy(node)
        mutated.op = new_op()
        out.append((f"`{_SYMBOL[type(node.op)]}=` -> `{_SYMBOL[new_op]}=`", mutated))
    elif isinstance(node, ast.BoolOp):
        new_bool: ast.boolop = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        mutated = copy.deepcopy(node)
        mutated.op = new_bool
        out.append((f"`{_SYMBOL[type(node.op)]}` -> `{_SYMBOL[type(new_bool)]}`", mutated))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        out.append(("`not x` -> `x`", copy.deepcopy(node.operand)))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        out.append(("`-x` -> `x`", copy.deepcopy(node.operand)))
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            out.append((f"`{value}` -> `{not value}`", ast.Constant(not value)))
        elif isinstance(value, int | float):
            out.append((f"`{value!r}` -> `{value + 1!r}`", ast.Constant(value + 1)))
        elif isinstance(value, str):
            out.append((f"`{value!r}` -> `{'XX' + value + 'XX'!r}`", ast.Constant(f"XX{value}XX")))
    elif isinstance(node, ast.Subscript) and _is_minus_one(node.slice):
        mutated = copy.deepcopy(node)
        mutated.slice = ast.Constant(0)
        out.append(("`[-1]` -> `[0]`", mutated))
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        swapped = _SWAPPED_CALLS.get(node.func.id)
        if swapped is not None:
            mutated = copy.deepcopy(node)
            mutated.func = ast.Name(swapped, ast.Load())
            out.append((f"`{node.func.id}(` -> `{swapped}(`", mutated))
    elif isinstance(node, ast.Return) and node.value is not None:
        if not (isinstance(node.value, ast.Constant) and node.value.value is None):
            out.append(("`return x` -> `return None`", ast.Return(ast.Constant(None))))
    elif isinstance(node, ast.Break):
        out.append(("`break` -> `continue`", ast.Continue()))
    elif isinstance(node, ast.Continue):
        out.append(("`continue` -> `break`", ast.Break()))
    droppable = ast.Expr | ast.Assign | ast.AugAssign | ast.Raise | ast.AnnAssign
    if isinstance(node, droppable) and not declaration:
        out.append(("statement -> `pass`", ast.Pass()))
    return out


def _is_minus_one(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and node.operand.value == 1
    )


def sites(file: str) -> list[Site]:
    """Every mutant of ``file``, in a stable order."""
    source = (ROOT / file).read_text()
    lines = source.splitlines()
    tree = ast.parse(source)
    skipped = _skipped_nodes(tree)
    declarations = _declarations(tree)
    found: list[Site] = []
    for index, node in enumerate(ast.walk(tree)):
        if id(node) in skipped or not hasattr(node, "lineno"):
            continue
        for variant, (mutation, _) in enumerate(_variants(node, id(node) in declarations)):
            line = node.lineno
            found.append(
                Site(file, index, variant, line, node.col_offset, mutation, lines[line - 1].strip())
            )
    return sorted(found, key=lambda s: (s.line, s.col, s.node, s.variant))


def mutated_code(site: Site) -> object:
    """The module's code object with ``site``'s change made."""
    path = ROOT / site.file
    tree = ast.parse(path.read_text())
    parent_of: dict[int, tuple[ast.AST, str, int | None]] = {}
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if isinstance(value, list):
                for i, child in enumerate(value):
                    if isinstance(child, ast.AST):
                        parent_of[id(child)] = (parent, name, i)
            elif isinstance(value, ast.AST):
                parent_of[id(value)] = (parent, name, None)
    node = list(ast.walk(tree))[site.node]
    _, replacement = _variants(node, id(node) in _declarations(tree))[site.variant]
    ast.copy_location(replacement, node)
    parent, name, i = parent_of[id(node)]
    if i is None:
        setattr(parent, name, replacement)
    else:
        getattr(parent, name)[i] = replacement
    ast.fix_missing_locations(tree)
    return compile(tree, str(path), "exec")


# --- the equivalents list -------------------------------------------------------


@dataclass(frozen=True)
class Equivalent:
    file: str
    line: int
    col: int
    mutation: str
    code: str
    why: str

    def matches(self, site: Site) -> bool:
        return (self.file, self.code, self.col, self.mutation) == (
            site.file,
            site.code,
            site.col,
            site.mutation,
        )


def load_equivalents(path: Path = EQUIVALENT_FILE) -> list[Equivalent]:
    if not path.exists():
        return []
    rows = tomllib.loads(path.read_text()).get("equivalent", [])
    return [
        Equivalent(r["file"], r["line"], r["col"], r["mutation"], r["code"], r["why"]) for r in rows
    ]


# --- running --------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    site: Site | None
    verdict: str
    """``killed``, ``survived``, ``timeout`` (counted as killed) or ``error``."""
    seconds: float
    output: str


def _child(file: str, node: int | None, variant: int, tests: Sequence[str]) -> int:
    """In the mutant's own process: install the mutant, run the tests (pytest's exit code)."""
    if node is not None:
        site = Site(file, node, variant, 0, 0, "", "")
        code = mutated_code(site)
        module = file.removesuffix(".py").replace("/", ".")

        class Loader(importlib.abc.Loader):
            def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
                return None

            def exec_module(self, mod: ModuleType) -> None:
                exec(code, mod.__dict__)

        class Finder(importlib.abc.MetaPathFinder):
            def find_spec(
                self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
            ) -> importlib.machinery.ModuleSpec | None:
                if fullname != module:
                    return None
                return importlib.util.spec_from_file_location(
                    fullname, ROOT / file, loader=Loader()
                )

        sys.meta_path.insert(0, Finder())
    import pytest
    from hypothesis import Phase, settings

    # Same examples every run (a score must not move by chance); no database
    # (a mutant's failing examples must not reach later runs); no shrinking
    # (a failure is all a mutant needs, and shrinking one can take minutes).
    settings.register_profile(
        "mutation",
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
    )
    settings.load_profile("mutation")
    args = ["-x", "-q", "--no-header", "-p", "no:cacheprovider", "-p", "no:xdist", *tests]
    return int(pytest.main(args))


def run(site: Site | None, file: str, tests: Sequence[str], timeout: float) -> Outcome:
    """One mutant (``None``: the module as it is) in a fresh process group."""
    node = "-" if site is None else str(site.node)
    variant = "0" if site is None else str(site.variant)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", file, node, variant, *tests]
    # The code beside this script, even where another copy is installed.
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=path)
    started = time.monotonic()
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own group: the timeout ends whatever it forked
    )
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate()
        return Outcome(site, "timeout", time.monotonic() - started, output)
    seconds = time.monotonic() - started
    if proc.returncode == 0:
        return Outcome(site, "survived", seconds, output)
    if proc.returncode in (1, 2):  # tests failed, or the mutant broke the collection
        return Outcome(site, "killed", seconds, output)
    return Outcome(site, "error", seconds, output)


def pick(all_sites: list[Site], sample: int | None, seed: int) -> list[Site]:
    if sample is None or sample >= len(all_sites):
        return all_sites
    chosen = random.Random(f"{seed}").sample(range(len(all_sites)), sample)
    return [all_sites[i] for i in sorted(chosen)]


@dataclass
class Score:
    name: str
    sites: int
    ran: int
    killed: int
    survived: list[Site]
    equivalent: int
    errors: int
    seconds: float

    @property
    def percent(self) -> float:
        counted = self.ran - self.equivalent
        return 100.0 * self.killed / counted if counted else 100.0


def score_module(
    name: str, sample: int | None, seed: int, jobs: int, equivalents: list[Equivalent]
) -> Score:
    file, tests = MODULES[name]
    tests = tuple(t for t in tests if (ROOT / t).exists())
    started = time.monotonic()
    baseline = run(None, file, tests, timeout=600)
    if baseline.verdict != "survived":
        print(baseline.output[-3000:])
        raise SystemExit(f"{name}: the tests fail without any mutant; fix them first")
    timeout = 4 * baseline.seconds + 10
    all_sites = sites(file)
    chosen = pick(all_sites, sample, seed)
    print(
        f"{name}: {len(chosen)} of {len(all_sites)} mutants of {file}, "
        f"tests {' '.join(tests)} ({baseline.seconds:.1f} s unmutated, timeout {timeout:.0f} s)",
        flush=True,
    )

    def one(site: Site) -> Outcome:
        outcome = run(site, file, tests, timeout)
        sys.stderr.write("." if outcome.verdict != "survived" else "s")  # progress
        sys.stderr.flush()
        return outcome

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        outcomes = list(pool.map(one, chosen))
    sys.stderr.write("\n")
    killed = survived_equiv = errors = 0
    survivors: list[Site] = []
    for outcome in outcomes:
        site = outcome.site
        assert site is not None
        equivalent = next((e for e in equivalents if e.matches(site)), None)
        if outcome.verdict in ("killed", "timeout"):
            killed += 1
            if equivalent is not None:
                print(f"  listed as equivalent but killed: {site.where()} {site.mutation}")
        elif outcome.verdict == "error":
            errors += 1
            killed += 1
            print(f"  error (counted killed): {site.where()} {site.mutation}")
            print("    " + outcome.output.strip().splitlines()[-1] if outcome.output else "")
        elif equivalent is not None:
            survived_equiv += 1
        else:
            survivors.append(site)
    score = Score(
        name,
        len(all_sites),
        len(chosen),
        killed,
        survivors,
        survived_equiv,
        errors,
        time.monotonic() - started,
    )
    for site in survivors:
        print(f"  survived {site.where()}  {site.mutation}  | {site.code}")
    print(
        f"{name}: {score.percent:.1f} % killed ({killed} of {len(chosen) - survived_equiv}; "
        f"{survived_equiv} equivalent left out) in {score.seconds:.0f} s",
        flush=True,
    )
    return score


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=", ".join(MODULES))
    parser.add_argument("--sample", type=int, default=100, help="mutants per module (100)")
    parser.add_argument("--all", action="store_true", help="every mutant, no sampling")
    parser.add_argument("--seed", type=int, default=0, help="of the sampling (0)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="at once")
    parser.add_argument("--list", action="store_true", help="print the sampled mutants only")
    args = parser.parse_args(argv)
    names = args.modules or list(MODULES)
    unknown = [n for n in names if n not in MODULES]
    if unknown:
        parser.error(f"unknown module {', '.join(unknown)}: choose among {', '.join(MODULES)}")
    sample = None if args.all else args.sample
    equivalents = load_equivalents()
    if args.list:
        for name in names:
            for site in pick(sites(MODULES[name][0]), sample, args.seed):
                print(f"{site.where()}  {site.mutation}  | {site.code}")
        return 0
    _check_equivalents(equivalents)
    scores = [score_module(n, sample, args.seed, args.jobs, equivalents) for n in names]
    print("\nmodule     mutants  equivalent  killed  survived  score   time")
    for s in scores:
        print(
            f"{s.name:<10} {s.ran:>4}/{s.sites:<4} {s.equivalent:>6}  {s.killed:>8}  "
            f"{len(s.survived):>8}  {s.percent:5.1f} %  {s.seconds:4.0f} s"
        )
    return 0


def _check_equivalents(equivalents: list[Equivalent]) -> None:
    """Say which listed equivalents no longer name a mutant (the code changed)."""
    by_file: dict[str, list[Site]] = {}
    for e in equivalents:
        found = by_file.setdefault(e.file, sites(e.file) if (ROOT / e.file).exists() else [])
        if not any(e.matches(s) for s in found):
            print(f"stale equivalent (no such mutant now): {e.file}:{e.line} {e.mutation}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        file, node, variant, *tests = sys.argv[2:]
        raise SystemExit(_child(file, None if node == "-" else int(node), int(variant), tests))
    raise SystemExit(main())
