// Entry point the extension host loads as `extensionTestsPath`: runs mocha over the compiled
// `*.test.js` files next to this file (scripts/test-integration.mjs bundles both).
// EXPTRACK_TEST_GREP narrows the run to tests whose full title matches.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: Number(process.env.EXPTRACK_MOCHA_TIMEOUT_MS || 30_000),
  });
  const grep = process.env.EXPTRACK_TEST_GREP;
  if (grep) mocha.grep(grep);

  const files = fs
    .readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const file of files) mocha.addFile(path.join(__dirname, file));

  // test/support/server-launcher.mjs starts echoing the workbench log at this line.
  console.log(`[exptrack-tests] running ${files.length} test file(s)${grep ? ` matching /${grep}/` : ''}`);

  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      // The launcher trusts the exit code only together with this line: the workbench also
      // reports exit code 0 when the extension host dies in the middle of a run.
      console.log(`[exptrack-tests] finished with ${failures} failure(s)`);
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
