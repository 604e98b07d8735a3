#!/usr/bin/env python3
"""Docs that run: executes every fenced command and YAML example of the repository's Markdown,
and compares the output the docs show with what corridor prints (ctest: docs_run).

Which files. Every *.md file of the repository (git's tracked and untracked-but-not-ignored
files; without git, every *.md outside build*/ folders), so a new document is covered as soon
as it exists. Also the `./build/corridor ...` commands in the comments of scenarios/**/*.yaml.

Where commands run. Each Markdown file gets a fresh copy of the repository root (the same file
list, so no build trees, results or other ignored files), in a temporary folder. Its blocks run
in document order in that copy, as a reader following the page would run them, each from the
copy's root in a new `bash` with `set -e -o pipefail` (a `cd` does not carry over to the next
block). In the copy, `build` is a symbolic link to the build tree that registered the test
(`--build`), so `./build/corridor` is the binary just built (that tree needs what setup.sh
builds in build/, bench_dispatch included); there is no `build-checks`.
`corridor` is not on the PATH: the runner removes every PATH entry that holds a `corridor`
executable, as on a user's machine, so the docs must say `./build/corridor`. HOME is a fresh
empty folder, and COLUMNS, NO_COLOR and the CORRIDOR_* variables are unset.

What is checked.
  sh, bash, shell  The block runs; it must exit 0 (or as its `exit N` marker says).
  console          Lines starting with `$ ` are commands (a line ending in `\\` continues);
                   the other lines are their expected stdout, compared as for `output of
                   previous` (verbatim, unless marked `excerpt`).
  yaml, yml        The example is written to a file in the Markdown file's folder (so
                   `extends:` resolves as it would beside the document; `save as` names it),
                   then `./build/corridor validate --strict` and `./build/corridor run` must
                   both exit 0, or both exit N with `exit N`.
  no language      An error: write `text` (or another language) for a block that is not run,
                   or mark it.
  anything else    Not run, unless marked `output of previous`.
Blocks inside list items (indented fences) count the same. Outside code blocks, an inline
`corridor SUBCOMMAND ARG...` with arguments is an error (write `./build/corridor ...`), and so
is such a line in a scenario's comments.

Markers. An HTML comment right before a fenced block (blank lines may separate them) changes
how it is treated: `<!-- doc-test: ITEM, ITEM, ... -->`. Items:
  skip fragment: REASON      Not run: part of a file, or a syntax illustration. The reason is
                             required and runs to the end of the comment, so it comes last.
  skip long-running: REASON  Not run: installs packages, runs the suite, a fuzz campaign or a
                             timing run. Reason required.
  external: REASON           Run only with --external (build/ of `setup.sh --checks`, which has
                             LibreOffice and the notebook tools); skipped otherwise. Reason
                             required.
  output of previous         The block is the output of the previous run block of the same file:
                             its stdout, or its stderr with `stderr`. Needs `verbatim` or
                             `excerpt`.
  verbatim                   The output must equal the block, line for line (trailing spaces and
                             trailing empty lines aside).
  excerpt                    The block is part of the output. A line holding only `…` marks a
                             cut: the lines between cuts must appear in the output consecutively
                             and in order, and a block that does not start (end) with `…` must
                             match from the first (to the last) line of the output.
  stderr                     Compare stderr instead of stdout.
  exit N                     The block (or YAML example) must exit with status N, not 0.
  save as PATH               A YAML example is written to PATH (relative to the repository root)
                             so that later blocks can use it.
  same as PATH               A YAML example must resolve (`./build/corridor resolve`) exactly
                             like the file PATH, the free-text keys `description` and `note`
                             aside.
  in PATH                    Every line of the block is a line of the file PATH (relative to the
                             repository root), checked even when the block is skipped: a command
                             that a script such as .ci/run runs "verbatim".
The runner fails on any unmarked block that errors, on an unknown item, on a skip or external
item without a reason, on a marker that is not followed by a block, and on an output block
whose previous run block is missing or skipped.

Usage: run_docs.py --root SRC --build BUILD [--external] [--jobs N] [--list-skips] [FILE.md...]
Exit status: 0 all good, 1 a doc check failed, 2 usage error.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUN_LANGS = {"sh", "bash", "shell"}
YAML_LANGS = {"yaml", "yml"}
CUT = "…"
BLOCK_TIMEOUT_S = 120
MARKER_RE = re.compile(r"^[ \t]*<!--\s*doc-test:(.*?)-->", re.S | re.M)  # at a line start
FENCE_RE = re.compile(r"^( *)(`{3,}|~{3,})\s*([^`\s]*)[^`]*$")
# A command-line use of the binary without its path: `corridor run FILE`, not `corridor run`.
BARE_RE = re.compile(r"(?<![\w/.-])corridor (run|compare|validate|resolve)\b\s+\S")
INLINE_RE = re.compile(r"(`+)(.+?)\1")
SCENARIO_CMD_RE = re.compile(r"^#.*?(\./build/corridor\s.*?)\s*$")


class DocError(Exception):
    """A problem of the document itself (a bad marker), found while parsing."""


@dataclasses.dataclass
class Marker:
    skip: str = ""  # "fragment" or "long-running"
    external: bool = False
    reason: str = ""
    output_of_previous: bool = False
    mode: str = ""  # "verbatim" or "excerpt"
    stderr: bool = False
    exit_code: int = 0
    save_as: str = ""
    same_as: str = ""
    in_file: str = ""
    line: int = 0


@dataclasses.dataclass
class Block:
    path: Path  # relative to the root
    line: int  # of the opening fence, 1-based
    lang: str
    text: str
    marker: Marker | None


def parse_marker(body: str, line: int) -> Marker:
    """Parses the inside of `<!-- doc-test: ... -->`; raises DocError on anything unknown."""
    m = Marker(line=line)
    rest = " ".join(body.split())
    while rest:
        item, sep, after = rest.partition(",")
        item = item.strip()
        head = item.split(":", 1)[0].strip()
        if head in ("skip fragment", "skip long-running", "external"):
            # The reason may hold commas: it runs to the end of the comment.
            kind, _, reason = rest.partition(":")
            reason = reason.strip()
            if not reason:
                raise DocError(f"{line}: '{kind.strip()}' needs a reason: "
                               f"'<!-- doc-test: {kind.strip()}: why -->'")
            if head == "external":
                m.external = True
            else:
                m.skip = head.split()[1]
            m.reason = reason
            break
        if item == "output of previous":
            m.output_of_previous = True
        elif item in ("verbatim", "excerpt"):
            if m.mode and m.mode != item:
                raise DocError(f"{line}: a block is either verbatim or an excerpt")
            m.mode = item
        elif item == "stderr":
            m.stderr = True
        elif re.fullmatch(r"exit \d+", item):
            m.exit_code = int(item.split()[1])
        elif item.startswith("save as "):
            m.save_as = item[len("save as "):].strip()
        elif item.startswith("same as "):
            m.same_as = item[len("same as "):].strip()
        elif item.startswith("in "):
            m.in_file = item[len("in "):].strip()
        else:
            raise DocError(
                f"{line}: unknown doc-test marker '{item}'; known: skip fragment: WHY, "
                "skip long-running: WHY, external: WHY, output of previous, verbatim, excerpt, "
                "stderr, exit N, save as PATH, same as PATH, in PATH")
        rest = after if sep else ""
    if m.output_of_previous and not m.mode:
        raise DocError(f"{line}: 'output of previous' needs 'verbatim' or 'excerpt'")
    return m


def parse_markdown(rel: Path, text: str) -> tuple[list[Block], list[str]]:
    """The fenced blocks of a Markdown file with their markers, and the problems found: bad
    markers, unlabelled blocks, inline commands without ./build/."""
    blocks: list[Block] = []
    problems: list[str] = []
    lines = text.split("\n")
    # Markers may span lines: (first line, last line) -> the comment's body.
    markers: dict[int, tuple[int, str]] = {}
    in_marker: set[int] = set()
    for m in MARKER_RE.finditer(text):
        first = text.count("\n", 0, m.start())
        last = text.count("\n", 0, m.end())
        markers[last] = (first, m.group(1))
        in_marker.update(range(first, last + 1))
    pending: Marker | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = FENCE_RE.match(line)
        if fence and i not in in_marker:
            indent, ticks, lang = len(fence.group(1)), fence.group(2), fence.group(3).lower()
            start = i
            body = []
            closing = re.compile(rf"^ *{re.escape(ticks[0])}{{{len(ticks)},}}\s*$")
            i += 1
            while i < len(lines) and not closing.match(lines[i]):
                body.append(lines[i][indent:] if lines[i][:indent].strip() == "" else lines[i])
                i += 1
            if i == len(lines):
                problems.append(f"{rel}:{start + 1}: code block never closed")
            blocks.append(Block(rel, start + 1, lang, "\n".join(body) + "\n", pending))
            pending = None
            i += 1
            continue
        if i in markers:
            if pending is not None:
                problems.append(f"{rel}:{pending.line}: doc-test marker not followed by a code "
                                "block")
            first, body = markers[i]
            try:
                pending = parse_marker(body, first + 1)
            except DocError as e:
                problems.append(f"{rel}:{e}")
                pending = None
        elif i not in in_marker:
            if pending is not None and line.strip():
                problems.append(f"{rel}:{pending.line}: doc-test marker not followed by a code "
                                "block")
                pending = None
            for span in INLINE_RE.finditer(line):
                if BARE_RE.search(span.group(2)):
                    problems.append(f"{rel}:{i + 1}: '{span.group(2)}': corridor is not on the "
                                    "PATH; write ./build/corridor (README.md, Commands)")
        i += 1
    if pending is not None:
        problems.append(f"{rel}:{pending.line}: doc-test marker not followed by a code block")
    return blocks, problems


def without_free_text(resolved: str) -> list[str]:
    """Resolved YAML without its `description:` and `note:` lines, which change no result."""
    return [line for line in resolved.split("\n")
            if not re.match(r"^\s*(- )?(description|note):", line)]


def normalise(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def compare_output(expected: str, actual: str, mode: str) -> str:
    """'' when `actual` matches `expected` in `mode`, else a description of the difference."""
    want, got = normalise(expected), normalise(actual)
    if mode == "verbatim":
        if want == got:
            return ""
        return "output differs (--- doc, +++ actual):\n" + "\n".join(
            difflib.unified_diff(want, got, "doc", "actual", lineterm="", n=2))
    chunks: list[list[str]] = [[]]
    for line in want:
        if line.strip() == CUT:
            chunks.append([])
        else:
            chunks[-1].append(line)
    anchored_start = bool(want) and want[0].strip() != CUT
    anchored_end = bool(want) and want[-1].strip() != CUT
    pos = 0
    for k, chunk in enumerate(chunks):
        if not chunk:
            continue
        first, last = k == 0 and anchored_start, k == len(chunks) - 1 and anchored_end
        found = -1
        for at in ([pos] if first else range(pos, len(got) - len(chunk) + 1)):
            if got[at:at + len(chunk)] == chunk and (not last or at + len(chunk) == len(got)):
                found = at
                break
        if found < 0:
            where = ("at the start of the output" if first else
                     "at the end of the output" if last else f"after output line {pos}")
            near = difflib.get_close_matches(chunk[0], got, n=1, cutoff=0.5)
            return (f"excerpt lines not found {where} (a line of only '{CUT}' marks a cut):\n  " +
                    "\n  ".join(chunk[:6]) +
                    (f"\nclosest output line:\n  {near[0]}" if near else "") +
                    "\nactual output:\n  " + "\n  ".join(got[:60]))
        pos = found + len(chunk)
    return ""


def source_files(root: Path) -> list[Path]:
    """The repository's files, relative to the root: git's view when there is one."""
    if (root / ".git").exists() and shutil.which("git"):
        done = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--cached", "--others",
                               "--exclude-standard"], capture_output=True)
        if done.returncode == 0:
            return sorted({Path(p) for p in done.stdout.decode().split("\0")
                           if p and (root / p).is_file()})
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel = Path(dirpath).relative_to(root)
        if rel == Path("."):
            dirnames[:] = [d for d in dirnames if not d.startswith(("build", ".git"))]
        out.extend(rel / f for f in filenames)
    return sorted(out)


def fresh_copy(root: Path, files: list[Path], build: Path, dest: Path) -> None:
    for rel in files:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, target, follow_symlinks=False)
    (dest / "build").symlink_to(build.resolve(), target_is_directory=True)


def clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("CORRIDOR_") and k not in ("COLUMNS", "NO_COLOR", "LINES")}
    path = [p for p in env.get("PATH", "").split(os.pathsep)
            if p and not os.access(os.path.join(p, "corridor"), os.X_OK)]
    env["PATH"] = os.pathsep.join(path)
    env["HOME"] = str(home)
    env["LC_ALL"] = "C.UTF-8"
    return env


@dataclasses.dataclass
class Outcome:
    ran: int = 0
    compared: int = 0
    skipped: list[str] = dataclasses.field(default_factory=list)
    failures: list[str] = dataclasses.field(default_factory=list)
    log: list[str] = dataclasses.field(default_factory=list)


def bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c",
                               script], cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=BLOCK_TIMEOUT_S, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        return subprocess.CompletedProcess(e.cmd, 124, e.stdout or "",
                                           f"timed out after {BLOCK_TIMEOUT_S} s "
                                           "(mark it 'skip long-running: WHY' if it must be slow)")


def tail(text: str, n: int = 15) -> str:
    lines = normalise(text)
    return "\n    ".join(lines[-n:]) if lines else "(nothing)"


def check_exit(where: str, what: str, done: subprocess.CompletedProcess, want: int) -> str:
    if done.returncode == want:
        return ""
    return (f"{where}: {what} exited {done.returncode}, expected {want}\n"
            f"  stdout:\n    {tail(done.stdout)}\n  stderr:\n    {tail(done.stderr)}")


def console_parts(text: str) -> tuple[str, str]:
    """A console block's commands (the `$ ` lines) and its expected output (the others)."""
    cmds, out, cont = [], [], False
    for line in text.split("\n"):
        if cont or line.startswith("$ "):
            cmds.append(line if cont else line[2:])
            cont = line.endswith("\\")
        else:
            out.append(line)
    return "\n".join(cmds) + "\n", "\n".join(out)


def run_markdown(root: Path, rel: Path, files: list[Path], build: Path, external: bool,
                 scratch: Path) -> Outcome:
    result = Outcome()
    blocks, problems = parse_markdown(rel, (root / rel).read_text(encoding="utf-8"))
    result.failures.extend(problems)
    if not blocks:
        return result
    copy = scratch / "repo"
    fresh_copy(root, files, build, copy)
    (scratch / "home").mkdir()
    env = clean_env(scratch / "home")
    previous: tuple[Block, subprocess.CompletedProcess | None] | None = None
    for n, b in enumerate(blocks):
        where = f"{b.path}:{b.line}"
        m = b.marker or Marker()
        if m.in_file:
            path = root / m.in_file
            have = set(normalise(path.read_text(encoding="utf-8"))) if path.is_file() else set()
            if not path.is_file():
                result.failures.append(f"{where}: 'in {m.in_file}': no such file")
            for line in normalise(b.text):
                if line and line not in have:
                    result.failures.append(f"{where}: '{line}' is not a line of {m.in_file}")
        if m.skip or (m.external and not external):
            kind = f"skip {m.skip}" if m.skip else "external"
            result.skipped.append(f"{where} ({b.lang or 'no language'}, {kind}): {m.reason}")
            previous = (b, None) if b.lang in RUN_LANGS | {"console"} else previous
            continue
        if m.output_of_previous:
            if previous is None:
                result.failures.append(f"{where}: 'output of previous' but no command block "
                                       "before it")
            elif previous[1] is None:
                result.failures.append(f"{where}: 'output of previous' follows a skipped block "
                                       f"({previous[0].path}:{previous[0].line}); mark this "
                                       "block skipped too")
            else:
                done = previous[1]
                diff = compare_output(b.text, done.stderr if m.stderr else done.stdout, m.mode)
                result.compared += 1
                if diff:
                    result.failures.append(f"{where}: {m.mode} output of the block at line "
                                           f"{previous[0].line}: {diff}")
            continue
        started = time.monotonic()
        if b.lang in RUN_LANGS or b.lang == "console":
            script, shown = (console_parts(b.text) if b.lang == "console" else (b.text, ""))
            for line in script.split("\n"):
                if BARE_RE.search(line.lstrip()) and re.match(r"\s*corridor ", line):
                    result.failures.append(f"{where}: '{line.strip()}': corridor is not on the "
                                           "PATH; write ./build/corridor")
            done = bash(script, copy, env)
            result.ran += 1
            if bad := check_exit(where, "block", done, m.exit_code):
                result.failures.append(bad)
            if b.lang == "console":
                diff = compare_output(shown, done.stderr if m.stderr else done.stdout,
                                      m.mode or "verbatim")
                result.compared += 1
                if diff:
                    result.failures.append(f"{where}: {diff}")
            previous = (b, done)
        elif b.lang in YAML_LANGS:
            result.ran += 1
            target = Path(m.save_as) if m.save_as else rel.parent / f"doc-example-{b.line}.yaml"
            (copy / target).parent.mkdir(parents=True, exist_ok=True)
            (copy / target).write_text(b.text, encoding="utf-8")
            q = f"'{target}'"
            loaded = True
            for what, cmd in (("validate --strict", f"./build/corridor validate --strict {q}"),
                              ("run", f"./build/corridor run -q {q} -o .doc-test-out/{n}")):
                done = bash(cmd, copy, env)
                if bad := check_exit(where, f"yaml example: {what}", done, m.exit_code):
                    result.failures.append(bad)
                    loaded = False
                    break
            if m.same_as and loaded:
                mine = bash(f"./build/corridor resolve {q}", copy, env)
                theirs = bash(f"./build/corridor resolve '{m.same_as}'", copy, env)
                if (mine.returncode or theirs.returncode or
                        without_free_text(mine.stdout) != without_free_text(theirs.stdout)):
                    result.failures.append(
                        f"{where}: the example does not resolve like {m.same_as}:\n" +
                        "\n".join(difflib.unified_diff(
                            normalise(theirs.stdout + theirs.stderr),
                            normalise(mine.stdout + mine.stderr), m.same_as, "doc",
                            lineterm="", n=1)))
        elif b.lang == "":
            result.failures.append(f"{where}: code block without a language; write ```text for "
                                   "a block that is not run, or mark it (tests/docs/run_docs.py)")
            continue
        else:
            continue  # text, csv, json, ...: shown, not run
        result.log.append(f"{where}: {b.lang} {time.monotonic() - started:.2f} s")
    return result


def run_scenario_comments(root: Path, files: list[Path], build: Path, scratch: Path) -> Outcome:
    """The `./build/corridor ...` commands in the comments of the shipped scenarios."""
    result = Outcome()
    copy = scratch / "repo"
    fresh_copy(root, files, build, copy)
    (scratch / "home").mkdir()
    env = clean_env(scratch / "home")
    for rel in files:
        if rel.parts[0] != "scenarios" or rel.suffix not in (".yaml", ".yml"):
            continue
        for k, line in enumerate((root / rel).read_text(encoding="utf-8").split("\n"), 1):
            if not line.startswith("#"):
                continue
            if BARE_RE.search(line) and "./build/corridor" not in line:
                result.failures.append(f"{rel}:{k}: corridor is not on the PATH; write "
                                       "./build/corridor")
            if cmd := SCENARIO_CMD_RE.match(line):
                done = bash(cmd.group(1), copy, env)
                result.ran += 1
                if bad := check_exit(f"{rel}:{k}", f"'{cmd.group(1)}'", done, 0):
                    result.failures.append(bad)
    return result


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, required=True, help="the repository root")
    ap.add_argument("--build", type=Path, required=True, help="the build tree with corridor")
    ap.add_argument("--external", action="store_true",
                    help="also run the blocks marked 'external' (LibreOffice, notebooks)")
    ap.add_argument("--jobs", type=int, default=2, help="Markdown files checked at once")
    ap.add_argument("--list-skips", action="store_true",
                    help="print every skipped block with its reason")
    ap.add_argument("-v", "--verbose", action="store_true", help="time every block")
    ap.add_argument("docs", nargs="*", type=Path, help="only these Markdown files")
    args = ap.parse_args(argv)
    root = args.root.resolve()
    if not (args.build / "corridor").is_file():
        print(f"run_docs: no corridor binary in {args.build}", file=sys.stderr)
        return 2
    files = source_files(root)
    docs = ([d.resolve().relative_to(root) for d in args.docs] if args.docs else
            [f for f in files if f.suffix == ".md"])
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="corridor-docs-") as tmp:
        jobs: dict[str, concurrent.futures.Future] = {}
        with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
            for k, rel in enumerate(docs):
                scratch = Path(tmp) / str(k)
                scratch.mkdir()
                jobs[str(rel)] = pool.submit(run_markdown, root, rel, files, args.build,
                                             args.external, scratch)
            if not args.docs:
                scratch = Path(tmp) / "scenarios"
                scratch.mkdir()
                jobs["scenarios/**/*.yaml comments"] = pool.submit(
                    run_scenario_comments, root, files, args.build, scratch)
        total = Outcome()
        for name, job in jobs.items():
            o = job.result()
            print(f"{name}: {o.ran} run, {o.compared} output(s) compared, {len(o.skipped)} "
                  f"skipped, {len(o.failures)} failed")
            total.ran += o.ran
            total.compared += o.compared
            total.skipped += o.skipped
            total.failures += o.failures
            if args.verbose:
                print("  " + "\n  ".join(o.log))
    if args.list_skips and total.skipped:
        print("\nskipped blocks:\n  " + "\n  ".join(total.skipped))
    for f in total.failures:
        print(f"\nFAILED {f}", file=sys.stderr)
    print(f"\ndocs: {total.ran} block(s) run, {total.compared} output(s) compared, "
          f"{len(total.skipped)} skipped, {len(total.failures)} failure(s) in "
          f"{time.monotonic() - started:.1f} s")
    return 1 if total.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
