import * as assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../../../src/cli/args';
import { main } from '../../../src/cli/main';

describe('cli arguments', () => {
  const spec = { options: ['name', 'min-delta'], flags: ['json'], short: { h: 'help' } };

  it('reads --name value, --name=value, flags, positionals and keeps what follows -- untouched', () => {
    const a = parseArgs(['run-1', '--name', 'baseline', '--json', '--min-delta=0.5', 'more', '--', 'python', '--name', 'x'], spec);
    assert.deepEqual(a.positionals, ['run-1', 'more']);
    assert.deepEqual([...a.options], [['name', 'baseline'], ['min-delta', '0.5']]);
    assert.deepEqual([...a.flags], ['json']);
    assert.deepEqual(a.rest, ['python', '--name', 'x']);
  });

  it('takes a value that starts with a dash as the value', () => {
    assert.equal(parseArgs(['--min-delta', '-0.01'], spec).options.get('min-delta'), '-0.01');
  });

  it('words its usage errors as before', () => {
    assert.throws(() => parseArgs(['--nope'], spec), (e: unknown) => e instanceof UsageError && e.message === 'unknown option --nope');
    assert.throws(() => parseArgs(['--name'], spec), (e: unknown) => e instanceof UsageError && e.message === '--name needs a value');
    assert.throws(() => parseArgs(['--json=yes'], spec), (e: unknown) => e instanceof UsageError && e.message === '--json takes no value');
  });

  it('exits 64 with the usage on a mistake before or after the command', async () => {
    for (const argv of [['--bogus', 'runs'], ['--db'], ['runs', '--bogus'], ['schema-diff', 'a.csv', 'b.csv', '--bogus']]) {
      let err = '';
      const code = await main(argv, { cwd: process.cwd(), stdout: () => undefined, stderr: (t: string) => (err += t) });
      assert.equal(code, argv[0] === 'schema-diff' ? 2 : 64, argv.join(' '));
      assert.match(err, /unknown option --bogus|--db needs a value/);
      assert.match(err, /usage: exptrack/);
    }
  });
});
