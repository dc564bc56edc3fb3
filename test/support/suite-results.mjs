// Reads the closing counts that mocha and pytest print, so scripts/test-all.mjs can total them.

const ansi = /\x1b\[[0-9;]*[A-Za-z]/g;

/**
 * Counts from mocha's epilogue ("N passing", then optionally "N pending" and "N failing").
 * Takes the last "passing" line, since a test's own output may contain similar text earlier.
 * Returns undefined when there is no epilogue (the runner crashed).
 */
export function parseMocha(output) {
  const text = output.replace(ansi, '');
  const passing = [...text.matchAll(/^\s*(\d+) passing\b/gm)].at(-1);
  if (!passing) return undefined;
  const rest = text.slice(passing.index);
  const count = (re) => Number(re.exec(rest)?.[1] ?? 0);
  return {
    passed: Number(passing[1]),
    failed: count(/^\s*(\d+) failing\b/m),
    skipped: count(/^\s*(\d+) pending\b/m),
    // The spec reporter marks a pending test with "- " where a passing one has "✔".
    skippedNames: [...text.slice(0, passing.index).matchAll(/^\s+- (.+?)\s*$/gm)].map((m) => m[1]),
  };
}

/**
 * Counts from pytest's final summary line, e.g. "3 passed, 1 failed, 2 skipped in 0.12s" or
 * "== 1 error in 0.30s ==". Errors count as failures; xfailed and deselected as skipped,
 * xpassed as passed. "no tests ran" gives zeros. Returns undefined without a summary line.
 */
export function parsePytest(output) {
  const lines = output.replace(ansi, '').split(/\r?\n/);
  const summary = lines.reverse().find((l) => /\b(passed|failed|errors?|skipped|no tests ran)\b.* in [\d.]+s\b/.test(l));
  if (!summary) return undefined;
  const n = (word) => Number(new RegExp(`(\\d+) ${word}\\b`).exec(summary)?.[1] ?? 0);
  return {
    passed: n('passed') + n('xpassed'),
    failed: n('failed') + n('errors?'),
    skipped: n('skipped') + n('xfailed') + n('deselected'),
    // With -rs pytest lists each skip: "SKIPPED [1] tests/test_x.py:33: needs git".
    skippedNames: lines.filter((l) => /^SKIPPED \[\d+\] /.test(l)).map((l) => l.replace(/^SKIPPED \[\d+\] /, '')).reverse(),
  };
}

/**
 * The result of one suite from its output and exit status: parsed counts, plus one failure when
 * the process failed without any failing test to show for it (a crash, a timeout).
 */
export function suiteResult(parse, output, exitCode) {
  const counts = parse(output);
  if (!counts) return { passed: 0, failed: 1, skipped: 0, skippedNames: [], note: `no test counts, exit code ${exitCode}` };
  if (exitCode !== 0 && counts.failed === 0) {
    return { ...counts, failed: 1, note: `exit code ${exitCode} without a failing test` };
  }
  return { ...counts };
}

/**
 * Under CI every dependency is installed, so a skipped test means something did not run that
 * should have (a missing server, writer or interpreter): it counts as failed, by name.
 */
export function countSkipsAsFailures(result) {
  if (result.skipped === 0) return result;
  const names = result.skippedNames.length ? result.skippedNames : [`${result.skipped} unnamed`];
  const note = `skipped under CI, counted as failed: ${names.join('; ')}`;
  return { ...result, failed: result.failed + result.skipped, note: [result.note, note].filter(Boolean).join('; ') };
}
