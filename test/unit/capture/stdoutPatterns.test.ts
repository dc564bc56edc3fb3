import * as assert from 'node:assert/strict';
import { compileStdoutPatterns, StdoutMetricPatternsSetting } from '../../../src/core/capture/stdoutPatterns';

describe('capture/stdoutPatterns', () => {
  it('compiles plain strings and objects, always global', () => {
    const { patterns, errors } = compileStdoutPatterns([
      '(?<key>\\w+)=(?<value>\\S+)',
      { regex: 'reward (?<value>\\S+)', key: 'reward', flags: 'i' },
      { regex: 'it (?<step>\\d+)' },
    ]);
    assert.deepEqual(errors, []);
    assert.equal(patterns.length, 3);
    assert.deepEqual(patterns.map((p) => p.regex.flags), ['g', 'gi', 'g']);
    assert.equal(patterns[1].fixedKey, 'reward');
    assert.equal(patterns[0].fixedKey, undefined);
  });

  it('reports invalid entries with their position and keeps the valid ones', () => {
    const { patterns, errors } = compileStdoutPatterns([
      '(?<key>\\w+',
      '(?<value>\\d+)',
      { regex: 'x (?<value>\\d+)', key: 'x' },
      { regex: 'no groups' },
      { regex: 'a(?<value>1)', key: 'a', flags: 'g' },
      { regex: 'a(?<value>1)', key: 'a', extra: true },
      42,
      '',
    ]);
    assert.equal(patterns.length, 1);
    assert.equal(patterns[0].fixedKey, 'x');
    assert.equal(errors.length, 7);
    assert.match(errors[0], /^exptrack\.stdoutMetricPatterns\[0\]: not a valid regular expression/);
    assert.match(errors[1], /\[1\]: .*needs a \(\?<key>…\) group or a "key" name/);
    assert.match(errors[2], /\[3\]: .*needs a \(\?<value>…\) group/);
    assert.match(errors[3], /\[4\]: flags may only contain i, m, s, u/);
    assert.match(errors[4], /\[5\]/);
    assert.match(errors[5], /\[6\]/);
    assert.match(errors[6], /\[7\]/);
  });

  it('accepts nothing configured, and rejects a setting that is not a list', () => {
    assert.deepEqual(compileStdoutPatterns(undefined), { patterns: [], errors: [] });
    assert.deepEqual(compileStdoutPatterns([]), { patterns: [], errors: [] });
    assert.deepEqual(compileStdoutPatterns('loss=(?<value>.*)').errors, ['exptrack.stdoutMetricPatterns must be a list of patterns']);
  });

  it('exports a schema that validates the whole setting', () => {
    assert.ok(StdoutMetricPatternsSetting.safeParse(['(?<key>a)(?<value>1)']).success);
    assert.ok(!StdoutMetricPatternsSetting.safeParse(['(']).success);
  });
});
