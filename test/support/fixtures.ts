/**
 * The real third-party files (../shared/fixtures, beside the repository). A clone without them still
 * runs every other test: the tests that read them are skipped by name, with the reason in their
 * title, and `npm test` lists them (under CI=true a skipped test fails the run).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** `EXPTRACK_FIXTURES` points elsewhere (or at nothing, to try a clone without them). */
export const FIXTURES = path.resolve(process.env.EXPTRACK_FIXTURES || path.join(repositoryRoot(), '../shared/fixtures'));
export const fixturesPresent = fs.existsSync(FIXTURES);
const NEEDS = ` (skipped: needs ${FIXTURES})`;

type Suite = (this: Mocha.Suite) => void;
type Test = Mocha.Func | Mocha.AsyncFunc;

/** `describe` for a suite that reads the fixtures; without them its tests are listed as skipped. */
export function describeWithFixtures(title: string, fn: Suite): Mocha.Suite | void {
  if (fixturesPresent) return describe(title, fn);
  return describe.skip(title, function (this: Mocha.Suite) {
    // The body still runs to name the tests (each with the reason); one that lists fixture files
    // while it is defined stops there.
    const plainIt = globalThis.it;
    globalThis.it = Object.assign((name: string, test?: Test) => plainIt(name + NEEDS, test), plainIt);
    try {
      fn.call(this);
    } catch {
      it('the rest of this suite');
    } finally {
      globalThis.it = plainIt;
    }
  });
}

/** `it` for a test that reads the fixtures; without them it is listed as skipped. */
export function itWithFixtures(title: string, fn: Test): Mocha.Test {
  return fixturesPresent ? it(title, fn) : it.skip(title + NEEDS, fn);
}

/** The folder holding the repository's package.json, found upwards (tests also run bundled, from out/). */
export function repositoryRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'esbuild.config.mjs'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '../..');
  }
}
