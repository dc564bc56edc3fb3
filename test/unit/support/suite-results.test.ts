import * as assert from 'assert';
import { countSkipsAsFailures, parseMocha, parsePytest, suiteResult } from '../../support/suite-results.mjs';

describe('suite-results', () => {
  describe('parseMocha', () => {
    it('reads passing, pending and failing from the epilogue', () => {
      const out = '  suite\n    ✔ a\n    - b\n    1) c\n\n  12 passing (3s)\n  2 pending\n  1 failing\n\n  1) suite\n       c:\n     Error: 3 passing\n';
      assert.deepStrictEqual(parseMocha(out), { passed: 12, failed: 1, skipped: 2, skippedNames: ['b'] });
    });

    it('uses the last epilogue when test output contains one earlier', () => {
      const out = '  log: 99 passing\n  7 failing\n\n  3 passing (1s)\n';
      assert.deepStrictEqual(parseMocha(out), { passed: 3, failed: 0, skipped: 0, skippedNames: [] });
    });

    it('ignores colour codes', () => {
      assert.deepStrictEqual(parseMocha('\x1b[32m  4 passing\x1b[0m\x1b[90m (5ms)\x1b[0m\n\x1b[31m  2 failing\x1b[0m\n'), { passed: 4, failed: 2, skipped: 0, skippedNames: [] });
    });

    it('returns undefined without an epilogue', () => {
      assert.strictEqual(parseMocha('Error: Cannot find module x\n'), undefined);
    });
  });

  describe('parsePytest', () => {
    it('reads the -q summary line', () => {
      assert.deepStrictEqual(parsePytest('..F.s\nFAILED t.py::x\n3 passed, 1 failed, 1 skipped in 0.12s\n'), { passed: 3, failed: 1, skipped: 1, skippedNames: [] });
    });

    it('counts errors as failures and xfail/xpass/deselected', () => {
      const line = '===== 2 passed, 1 error, 1 xfailed, 1 xpassed, 3 deselected in 1.02s =====';
      assert.deepStrictEqual(parsePytest(line), { passed: 3, failed: 1, skipped: 4, skippedNames: [] });
    });

    it('reads "no tests ran" as zeros', () => {
      assert.deepStrictEqual(parsePytest('\nno tests ran in 0.01s\n'), { passed: 0, failed: 0, skipped: 0, skippedNames: [] });
    });

    it('names each skip that -rs reports, in order', () => {
      const out = '..s.s\n=== short test summary info ===\nSKIPPED [1] python/tests/test_location.py:33: needs git\nSKIPPED [2] python/tests/t.py:9: needs fork\n3 passed, 3 skipped in 0.40s\n';
      assert.deepStrictEqual(parsePytest(out)?.skippedNames, ['python/tests/test_location.py:33: needs git', 'python/tests/t.py:9: needs fork']);
    });

    it('returns undefined without a summary', () => {
      assert.strictEqual(parsePytest('/usr/bin/python3: No module named pytest\n'), undefined);
    });
  });

  describe('suiteResult', () => {
    it('counts a crash without counts as one failure', () => {
      assert.deepStrictEqual(suiteResult(parseMocha, 'boom', 1), { passed: 0, failed: 1, skipped: 0, skippedNames: [], note: 'no test counts, exit code 1' });
    });

    it('adds a failure when the exit code disagrees with zero failing tests', () => {
      assert.deepStrictEqual(suiteResult(parseMocha, '  5 passing\n', 1), { passed: 5, failed: 1, skipped: 0, skippedNames: [], note: 'exit code 1 without a failing test' });
    });

    it('keeps counts as they are on success and on test failures', () => {
      assert.deepStrictEqual(suiteResult(parseMocha, '  5 passing\n', 0), { passed: 5, failed: 0, skipped: 0, skippedNames: [] });
      assert.deepStrictEqual(suiteResult(parseMocha, '  5 passing\n  2 failing\n', 1), { passed: 5, failed: 2, skipped: 0, skippedNames: [] });
    });
  });

  describe('countSkipsAsFailures (CI=true)', () => {
    it('turns every skipped test into a failure and names it', () => {
      const r = countSkipsAsFailures(suiteResult(parseMocha, '    ✔ a\n    - needs the MLflow server\n\n  1 passing\n  1 pending\n', 0));
      assert.deepStrictEqual([r.passed, r.failed, r.skipped], [1, 1, 1]);
      assert.match(r.note ?? '', /skipped under CI, counted as failed: needs the MLflow server/);
    });

    it('leaves a run without skips as it is', () => {
      const r = suiteResult(parseMocha, '  5 passing\n', 0);
      assert.strictEqual(countSkipsAsFailures(r), r);
    });
  });
});
