"""Specification of the doc-test runner (ctest: docs_runner_selftest): what it accepts, what it
refuses and with which message, on small made-up documents and a stand-in `corridor` script.
Standard library only: `/usr/bin/python3 -m unittest -q test_run_docs` from tests/docs/."""

import contextlib
import io
import os
import tempfile
import textwrap
import unittest
from pathlib import Path

import run_docs

# A stand-in for the binary: `validate`/`run` fail on a file holding "bad", `resolve` prints
# the file, anything else echoes its arguments.
FAKE_CORRIDOR = """#!/usr/bin/env bash
case "$1" in
  validate|run) for a in "$@"; do
      if [ -f "$a" ] && grep -q bad "$a"; then echo "$a:1:1: error: bad" >&2; exit 2; fi
    done; echo "corridor $*" ;;
  resolve) cat "$2" ;;
  *) echo "corridor $*" ;;
esac
"""


class Repo:
    """A temporary repository with one README.md and a build tree holding the stand-in."""

    def __init__(self, readme, extra=None):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = Path(self.tmp.name) / "src"
        self.build = Path(self.tmp.name) / "build-here"
        self.root.mkdir()
        self.build.mkdir()
        (self.root / "README.md").write_text(textwrap.dedent(readme), encoding="utf-8")
        for name, text in (extra or {}).items():
            (self.root / name).parent.mkdir(parents=True, exist_ok=True)
            (self.root / name).write_text(textwrap.dedent(text), encoding="utf-8")
        corridor = self.build / "corridor"
        corridor.write_text(FAKE_CORRIDOR)
        corridor.chmod(0o755)

    def run(self, *extra):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run_docs.main(["--root", str(self.root), "--build", str(self.build), *extra])
        self.tmp.cleanup()
        return code, out.getvalue(), err.getvalue()


def check(readme, extra=None, *args):
    return Repo(readme, extra).run(*args)


class Markers(unittest.TestCase):
    def test_items_combine(self):
        m = run_docs.parse_marker(" output of previous, excerpt, stderr, exit 2 ", 7)
        self.assertEqual((m.output_of_previous, m.mode, m.stderr, m.exit_code, m.line),
                         (True, "excerpt", True, 2, 7))

    def test_skip_reason_runs_to_the_end_and_may_hold_commas(self):
        m = run_docs.parse_marker(" skip long-running: installs packages, then builds ", 1)
        self.assertEqual((m.skip, m.reason), ("long-running", "installs packages, then builds"))

    def test_unknown_item(self):
        with self.assertRaisesRegex(run_docs.DocError, r"^3: unknown doc-test marker 'skip'"):
            run_docs.parse_marker(" skip ", 3)

    def test_skip_without_reason(self):
        for body in (" skip fragment ", " skip fragment: ", " external:  "):
            with self.assertRaisesRegex(run_docs.DocError, r"needs a reason"):
                run_docs.parse_marker(body, 1)

    def test_output_needs_a_mode(self):
        with self.assertRaisesRegex(run_docs.DocError, r"needs 'verbatim' or 'excerpt'"):
            run_docs.parse_marker(" output of previous ", 1)


class Excerpts(unittest.TestCase):
    OUT = "a\nb\nc\nd\ne\n"

    def test_verbatim_ignores_trailing_space_only(self):
        self.assertEqual(run_docs.compare_output("a  \nb\n\n", "a\nb", "verbatim"), "")
        self.assertIn("output differs", run_docs.compare_output("a\nb\n", "a\nB\n", "verbatim"))

    def test_cuts(self):
        ok = ["a\nb\n…\n", "…\nd\ne\n", "a\n…\nc\n…\ne\n", "…\nc\n…\n", self.OUT]
        for excerpt in ok:
            self.assertEqual(run_docs.compare_output(excerpt, self.OUT, "excerpt"), "", excerpt)

    def test_uncut_ends_are_anchored(self):
        # "b" is not the first line, "d" not the last: without a cut they do not match.
        self.assertIn("at the start", run_docs.compare_output("b\n…\n", self.OUT, "excerpt"))
        self.assertIn("at the end", run_docs.compare_output("…\nd\n", self.OUT, "excerpt"))

    def test_order_and_adjacency(self):
        self.assertIn("not found", run_docs.compare_output("…\nd\n…\nb\n…\n", self.OUT,
                                                           "excerpt"))
        self.assertIn("not found", run_docs.compare_output("…\nb\nd\n…\n", self.OUT, "excerpt"))


class Runs(unittest.TestCase):
    def test_a_clean_document_passes(self):
        code, out, err = check("""
            # Doc

            ```sh
            ./build/corridor run x.yaml
            ```

            <!-- doc-test: output of previous, verbatim -->
            ```text
            corridor run x.yaml
            ```

            ```yaml
            name: fine
            ```

            <!-- doc-test: skip fragment: shows one key -->
            ```yaml
            bad: key
            ```

            ```text
            not run
            ```
            """)
        self.assertEqual(code, 0, err)
        self.assertIn("2 block(s) run, 1 output(s) compared, 1 skipped, 0 failure(s)", out)

    def test_a_failing_command_fails_with_its_location_and_stderr(self):
        code, _, err = check("""
            text

            ```sh
            ls does-not-exist
            ```
            """)
        self.assertEqual(code, 1)
        self.assertIn("FAILED README.md:4: block exited 2, expected 0", err)
        self.assertIn("does-not-exist", err)

    def test_exit_marker(self):
        code, _, err = check("""
            <!-- doc-test: exit 3 -->
            ```sh
            exit 3
            ```
            """)
        self.assertEqual(code, 0, err)

    def test_output_mismatch_shows_a_diff(self):
        code, _, err = check("""
            ```sh
            echo one
            ```
            <!-- doc-test: output of previous, verbatim -->
            ```text
            two
            ```
            """)
        self.assertEqual(code, 1)
        self.assertIn("README.md:6: verbatim output of the block at line 2", err)
        self.assertIn("-two\n+one", err)

    def test_output_of_a_skipped_block_is_refused(self):
        code, _, err = check("""
            <!-- doc-test: skip long-running: slow -->
            ```sh
            sleep 1000
            ```
            <!-- doc-test: output of previous, excerpt -->
            ```text
            x
            ```
            """)
        self.assertEqual(code, 1)
        self.assertIn("follows a skipped block", err)

    def test_bad_markers_unlabelled_blocks_and_orphans(self):
        code, _, err = check("""
            <!-- doc-test: skip fragment -->
            ```sh
            true
            ```

            <!-- doc-test: verbose -->
            ```sh
            true
            ```

            ```
            plain
            ```

            <!-- doc-test: skip fragment: orphan -->
            Some text, and `<!-- doc-test: …` in inline code, which is no marker.
            """)
        self.assertEqual(code, 1)
        self.assertIn("README.md:2: 'skip fragment' needs a reason", err)
        self.assertIn("unknown doc-test marker 'verbose'", err)
        self.assertIn("README.md:12: code block without a language", err)
        self.assertIn("README.md:16: doc-test marker not followed by a code block", err)

    def test_corridor_is_not_on_the_path(self):
        # Even with a corridor on PATH, the blocks do not see it, and the docs are told why.
        on_path = tempfile.TemporaryDirectory()
        (Path(on_path.name) / "corridor").write_text("#!/bin/sh\necho on-path\n")
        (Path(on_path.name) / "corridor").chmod(0o755)
        old = os.environ["PATH"]
        os.environ["PATH"] = on_path.name + os.pathsep + old
        try:
            code, _, err = check("""
                Run `corridor run scenarios/minimal.yaml` first; the `corridor run` command.

                ```sh
                corridor run x.yaml
                ```
                """)
        finally:
            os.environ["PATH"] = old
            on_path.cleanup()
        self.assertEqual(code, 1)
        self.assertIn("README.md:2: 'corridor run scenarios/minimal.yaml': corridor is not on "
                      "the PATH", err)
        self.assertNotIn("'corridor run': corridor", err)  # the bare name of a command is fine
        self.assertIn("README.md:4: 'corridor run x.yaml': corridor is not on the PATH", err)
        self.assertIn("block exited 127", err)

    def test_blocks_run_in_a_fresh_copy_in_document_order(self):
        code, _, err = check("""
            ```sh
            test ! -e results && test -f data.txt
            echo made > made.txt
            cd sub && echo x > there.txt
            ```
            ```sh
            cat made.txt && test -f sub/there.txt && test -x build/corridor
            ```
            """, {"data.txt": "d\n", "sub/keep.txt": "k\n", "results/old.csv": "x\n"})
        self.assertEqual(code, 0, err)

    def test_yaml_examples_are_validated_and_run(self):
        code, _, err = check("""
            ```yaml
            bad: example
            ```
            <!-- doc-test: exit 2 -->
            ```yaml
            bad: on purpose
            ```
            <!-- doc-test: same as other.yaml -->
            ```yaml
            name: x
            ```
            """, {"other.yaml": "name: y\n"})
        self.assertEqual(code, 1)
        self.assertIn("README.md:2: yaml example: validate --strict exited 2, expected 0", err)
        self.assertNotIn("README.md:6:", err)
        self.assertIn("README.md:10: the example does not resolve like other.yaml", err)

    def test_save_as_makes_the_example_a_file_for_later_blocks(self):
        code, _, err = check("""
            <!-- doc-test: save as demo/two-towns.yaml -->
            ```yaml
            name: two-towns
            ```
            ```sh
            grep -q two-towns demo/two-towns.yaml
            ```
            """)
        self.assertEqual(code, 0, err)

    def test_in_file_checks_lines_even_of_skipped_blocks(self):
        doc = """
            <!-- doc-test: in ci/run, skip long-running: the whole suite -->
            ```sh
            ./setup.sh --checks && ctest
            ```
            """
        self.assertEqual(check(doc, {"ci/run": "#!/bin/sh\n./setup.sh --checks && ctest\n"})[0], 0)
        code, _, err = check(doc, {"ci/run": "#!/bin/sh\n./setup.sh && ctest\n"})
        self.assertEqual(code, 1)
        self.assertIn("'./setup.sh --checks && ctest' is not a line of ci/run", err)

    def test_external_blocks_run_only_when_asked(self):
        doc = """
            <!-- doc-test: external: needs LibreOffice -->
            ```sh
            exit 1
            ```
            """
        self.assertEqual(check(doc)[0], 0)
        self.assertEqual(check(doc, None, "--external")[0], 1)

    def test_console_blocks_compare_their_output(self):
        code, _, err = check("""
            ```console
            $ echo a
            a
            $ echo b \\
              c
            b c
            ```
            """)
        self.assertEqual(code, 0, err)


if __name__ == "__main__":
    unittest.main()
