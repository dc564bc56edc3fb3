/**
 * The run search syntax on examples from MLflow's documentation and on what ExpTrack adds, and
 * its errors: each names what is wrong and points at the token.
 */
import * as assert from 'node:assert/strict';
import { compileFilter } from '../../../src/core/runs/filterEval';
import { applyQuery, compileQuery } from '../../../src/core/runs/runSearch';
import { SearchSyntaxError } from '../../../src/core/runs/searchLexer';
import { parseFilter, parseOrderBy } from '../../../src/core/runs/searchParser';
import { syntaxProblemText } from '../../../src/core/runs/syntaxProblemText';
import { fieldText, orderByText, quoteKey, type RunField } from '../../../src/shared/runFields';
import { record, type RunSpec } from './runFixtures';

const runs = [
  record({ uid: 'a', name: 'alpha-aug', status: 'finished', started: 1_700_000_300, ended: 1_700_000_400, user: 'ana',
    params: { optimizer: 'adam', lr: 0.01, layers: [64, 32], 'model-type': 'cnn' }, tags: { note: 'with aug', 'mlflow.user': 'ana' },
    metrics: { val_loss: { last: 0.25, min: 0.2, max: 0.9, count: 10 }, 'val/acc': 0.91, 'f1 score': 0.6 } }),
  record({ uid: 'b', name: 'beta', status: 'failed', started: 1_700_000_200, params: { optimizer: 'sgd', lr: '0.1' }, tags: { note: 'plain' },
    metrics: { val_loss: { last: 0.5, min: 0.1, max: 0.7 }, 'val/acc': NaN } }),
  record({ uid: 'c', name: 'Gamma', status: 'running', started: 1_700_000_100, params: { optimizer: 'Adam', lr: 0.001 }, tags: {},
    metrics: { val_loss: 0.28 } }),
  record({ uid: 'd', name: 'delta', status: 'killed', started: null, params: { optimizer: 'adam', lr: 'high' }, tags: { note: 'AUG twice' } }),
];

function match(filter: string, among = runs): string[] {
  return among.filter(compileFilter(parseFilter(filter))).map((r) => r.summary.uid);
}

function errorOf(text: string, parse: (t: string) => unknown = parseFilter): { message: string; at: string; start: number; end: number } {
  try {
    parse(text);
  } catch (e) {
    assert.ok(e instanceof SearchSyntaxError, String(e));
    return { message: e.message, at: text.slice(e.start, e.end), start: e.start, end: e.end };
  }
  assert.fail(`"${text}" parsed`);
}

describe('run search syntax', () => {
  it("matches the issue's example: a metric, a parameter, a LIKE on a tag and the status", () => {
    assert.deepEqual(match("metrics.val_loss < 0.3 and params.optimizer = 'adam' and tags.note LIKE '%aug%' and attributes.status = 'FINISHED'"), ['a']);
  });

  it("takes MLflow's documented forms: aliases, quoted keys, double-quoted values, created, Run name", () => {
    assert.deepEqual(match('metrics.`f1 score` > 0.5'), ['a']);
    assert.deepEqual(match('metric."val/acc" >= 0.9'), ['a']);
    assert.deepEqual(match('params."model-type" = "cnn"'), ['a']);
    assert.deepEqual(match("parameters.optimizer = 'adam' and param.lr = '0.01'"), ['a']);
    assert.deepEqual(match("tags.`mlflow.user` = 'ana'"), ['a']);
    assert.deepEqual(match('attributes.status = "FAILED"'), ['b']);
    assert.deepEqual(match('attributes.created > 1700000150000'), ['a', 'b']);
    assert.deepEqual(match('attributes.Created > 1700000150000'), ['a', 'b']);
    assert.deepEqual(match('attributes.start_time > 1700000150000'), ['a', 'b']);
    for (const key of ['`run_name`', '`run name`', '`Run name`', '`Run Name`']) assert.deepEqual(match(`attributes.${key} ILIKE "%ALPHA%"`), ['a'], key);
    assert.deepEqual(match("run_name = 'beta'"), ['b'], 'no prefix: an attribute');
    assert.deepEqual(match("attr.run_id IN ('a', 'c')"), ['a', 'c']);
    assert.deepEqual(match("run.run_id NOT IN ('a', 'c')"), ['b', 'd']);
    assert.deepEqual(match("attributes.user_id = 'ana'"), ['a']);
    assert.deepEqual(match('attributes.end_time <= 1700000400000'), ['a']);
  });

  it('treats LIKE as case-sensitive and ILIKE as not, over the whole value', () => {
    assert.deepEqual(match("tags.note LIKE '%aug%'"), ['a']);
    assert.deepEqual(match("tags.note ILIKE '%aug%'"), ['a', 'd']);
    assert.deepEqual(match("tags.note LIKE 'with'"), []);
    assert.deepEqual(match("tags.note LIKE 'with_aug'"), ['a'], '_ is one character');
    assert.deepEqual(match("params.optimizer LIKE 'a%'"), ['a', 'd']);
    assert.deepEqual(match("params.layers LIKE '[64%'"), ['a'], 'a list parameter is matched as its JSON text');
    assert.deepEqual(match("params.optimizer LIKE '(.*)'"), [], 'regular-expression characters are plain characters');
  });

  it('never matches a run without the key, except IS NULL and what not negates', () => {
    assert.deepEqual(match("tags.note != 'plain'"), ['a', 'd']);
    assert.deepEqual(match('metrics.val_loss != 0.5'), ['a', 'c']);
    assert.deepEqual(match("tags.note NOT IN ('plain')"), ['a', 'd']);
    assert.deepEqual(match('tags.note IS NULL'), ['c']);
    assert.deepEqual(match('metrics.val_loss IS NOT NULL'), ['a', 'b', 'c']);
    assert.deepEqual(match("not tags.note = 'plain'"), ['a', 'c', 'd']);
    assert.deepEqual(match('attributes.start_time > 0'), ['a', 'b', 'c'], 'a run with no start time has none to compare');
  });

  it('compares NaN metrics as IEEE numbers: only != matches', () => {
    assert.deepEqual(match('metrics.`val/acc` < 1'), ['a']);
    assert.deepEqual(match('metrics.`val/acc` >= 0'), ['a']);
    assert.deepEqual(match('metrics.`val/acc` != 0.91'), ['b']);
  });

  it('adds or, not and parentheses, with and binding tighter than or', () => {
    assert.deepEqual(match("run_name = 'beta' or run_name = 'Gamma' and metrics.val_loss > 1"), ['b']);
    assert.deepEqual(match("(run_name = 'beta' or run_name = 'Gamma') and metrics.val_loss > 0.26"), ['b', 'c']);
    assert.deepEqual(match("not (status = 'FINISHED' or status = 'FAILED')"), ['c', 'd']);
    assert.deepEqual(match("NOT NOT status = 'RUNNING'"), ['c']);
  });

  it('compares parameters and tags as numbers when the value is a number, and as text when it is quoted', () => {
    assert.deepEqual(match('params.lr < 0.05'), ['a', 'c'], "'high' is not a number and '0.1' is text that is one");
    assert.deepEqual(match('params.lr >= 0.1'), ['b']);
    assert.deepEqual(match("params.lr = '0.1'"), ['b']);
    assert.deepEqual(match('params.lr = 0.1'), ['b'], 'the text 0.1 is the number 0.1');
    assert.deepEqual(match('params.lr != 0.1'), ['a', 'c', 'd']);
    assert.deepEqual(match("params.lr IN (0.01, 'high')"), ['a', 'd']);
    assert.deepEqual(match("params.optimizer < 'b'"), ['a', 'c', 'd'], 'text in code-unit order: upper case first');
  });

  it('matches the status in any case, and summaries of a metric through min(), max() and count()', () => {
    assert.deepEqual(match("status = 'finished'"), ['a']);
    assert.deepEqual(match("status LIKE 'fail%'"), ['b']);
    assert.deepEqual(match("status IN ('running', 'KILLED')"), ['c', 'd']);
    assert.deepEqual(match('min(metrics.val_loss) < 0.15'), ['b']);
    assert.deepEqual(match('max(metrics.val_loss) >= 0.9'), ['a']);
    assert.deepEqual(match('count(metrics.val_loss) = 10'), ['a']);
    assert.deepEqual(match('last(metrics.val_loss) = 0.5'), ['b']);
  });

  it('reads quoting: doubled or escaped quotes, backticks in keys, and signs', () => {
    const quoted = [record({ uid: 'q', tags: { "it's": 'say "hi"', 'a`b': 'x\\y' }, metrics: { m: -2 } })];
    assert.deepEqual(match("tags.`it's` = 'say \"hi\"'", quoted), ['q']);
    assert.deepEqual(match("tags.\"it's\" = \"say \"\"hi\"\"\"", quoted), ['q']);
    assert.deepEqual(match("tags.`it's` = 'say \\\"hi\\\"'", quoted), ['q']);
    assert.deepEqual(match('tags.`a``b` = \'x\\\\y\'', quoted), ['q']);
    assert.deepEqual(match('metrics.m = -2 and metrics.m < +1 and metrics.m > - 2.5e0', quoted), ['q']);
    assert.deepEqual(match('  ', quoted), ['q'], 'an empty filter keeps every run');
  });

  it('points at the token that is wrong, and says what would be right', () => {
    const cases: [string, string, RegExp][] = [
      ['metrics.loss <', '', /expected a value after '<'/],
      ["metrics.loss < 'a'", "'a'", /holds numbers/],
      ['run_name = 3', '3', /holds text: put the value in quotes/],
      ["params.x = 'abc", "'abc", /no closing '/],
      ['metrics.`val loss = 1', '`val loss = 1', /no closing `/],
      ['foo = 1', 'foo', /unknown attribute 'foo'.*metrics\.foo/],
      ["metricz.loss = 1", 'metricz', /unknown key type 'metricz'/],
      ['(metrics.loss > 1', '', /missing '\)' to close the '\(' at column 1/],
      ['metrics.loss > 1)', ')', /closes nothing/],
      ['metrics.loss > 1 metrics.x < 2', 'metrics.x', /expected 'and' or 'or'/],
      ['metrics.loss > 1 and', '', /expected a key/],
      ["metrics.loss LIKE '%a'", 'LIKE', /holds numbers/],
      ['params.x = adam', 'adam', /quotes: 'adam'/],
      ['metrics. = 1', '', /expected a key after 'metrics\.'/],
      ["datasets.name = 'x'", 'datasets', /not supported/],
      ['metrics.x # 3', '#', /unexpected character/],
      ["status IN 'a'", "'a'", /IN needs a list/],
      ["status IN ('a' 'b')", "'b'", /expected ',' or '\)'/],
      ['count(params.x) > 1', 'params.x', /takes a metric/],
      ['tags.x IS 3', '3', /expected NULL/],
      ['metrics.x NOT = 1', '=', /expected IN, LIKE or ILIKE/],
      ['metrics.x', '', /expected a comparison after metrics\.x/],
      ['and metrics.x = 1', 'and', /expected a key/],
      ['()', ')', /inside the parentheses/],
    ];
    for (const [text, at, message] of cases) {
      const e = errorOf(text);
      assert.equal(e.at, at, `"${text}": error at "${e.at}" (${e.message})`);
      assert.match(e.message, message, text);
    }
    assert.equal(errorOf('metrics.loss <').start, 14, 'at the end of the text');
  });

  it('reports the first error of the text, wherever it is', () => {
    assert.equal(errorOf("foo = 'abc").at, 'foo', 'a bad key before an unclosed string');
    assert.equal(errorOf("status = 'a' # foo").at, '#');
  });

  it('writes an error with a caret under the token', () => {
    const text = 'metrics.loss < 0.3 and params.optimizer = adam';
    const compiled = compileQuery(text, '');
    assert.equal(compiled.ok, false);
    if (compiled.ok) return;
    assert.equal(syntaxProblemText(text, compiled.error), [
      "invalid filter at column 43: expected a number or a quoted string, found 'adam'; text goes in quotes: 'adam'",
      '  metrics.loss < 0.3 and params.optimizer = adam',
      '                                            ^^^^',
    ].join('\n'));
  });
});

describe('run search order-by', () => {
  const ordered = (orderBy: string, among: RunSpec[]) => {
    const compiled = compileQuery('', orderBy);
    assert.ok(compiled.ok, JSON.stringify(compiled));
    return applyQuery(among.map(record), compiled.query).map((r) => r.summary.uid);
  };

  it('sorts by several keys, the missing last and NaN just before them, in either direction', () => {
    const specs: RunSpec[] = [
      { uid: 'n1', metrics: { loss: NaN }, params: { opt: 'adam' } },
      { uid: 'm1' },
      { uid: 'x1', metrics: { loss: 0.5 }, params: { opt: 'sgd' } },
      { uid: 'x2', metrics: { loss: 0.2 }, params: { opt: 'adam' } },
      { uid: 'x3', metrics: { loss: 0.5 }, params: { opt: 'adam' } },
    ];
    assert.deepEqual(ordered('metrics.loss ASC', specs), ['x2', 'x1', 'x3', 'n1', 'm1']);
    assert.deepEqual(ordered('metrics.loss DESC', specs), ['x1', 'x3', 'x2', 'n1', 'm1']);
    assert.deepEqual(ordered('metrics.loss', specs), ['x2', 'x1', 'x3', 'n1', 'm1'], 'ascending by default');
    assert.deepEqual(ordered('metrics.loss desc, params.opt asc', specs), ['x3', 'x1', 'x2', 'n1', 'm1']);
  });

  it('keeps the default order (newest start first, then id) for ties and with no keys', () => {
    const specs: RunSpec[] = [{ uid: 'old', started: 1 }, { uid: 'new', started: 3 }, { uid: 'mid', started: 2 }];
    // applyQuery keeps the order the catalog gives (newest first); here the input order stands for it.
    assert.deepEqual(ordered('', specs), ['old', 'new', 'mid']);
    assert.deepEqual(ordered('attributes.start_time DESC', specs), ['new', 'mid', 'old']);
    assert.deepEqual(ordered("attributes.experiment ASC", specs), ['old', 'new', 'mid']);
  });

  it('puts parameters that are numbers before those that are text, numbers by value', () => {
    const specs: RunSpec[] = [{ uid: 't', params: { lr: 'high' } }, { uid: 'n10', params: { lr: '10' } }, { uid: 'n9', params: { lr: 9 } }, { uid: 'l', params: { lr: [1] } }];
    assert.deepEqual(ordered('params.lr', specs), ['n9', 'n10', 'l', 't']);
    assert.deepEqual(ordered('params.lr DESC', specs), ['t', 'l', 'n10', 'n9']);
  });

  it('says where an order-by is wrong', () => {
    assert.equal(errorOf('metrics.loss ASC DESC', parseOrderBy).at, 'DESC');
    assert.equal(errorOf('metrics.loss,', parseOrderBy).at, '');
    assert.match(errorOf('metrics.loss UP', parseOrderBy).message, /expected ','/);
    const compiled = compileQuery('', 'metrics.');
    assert.ok(!compiled.ok && compiled.error.input === 'orderBy');
  });
});

describe('run fields as search text', () => {
  it('writes every field so that the parser reads it back', () => {
    const fields: RunField[] = [
      { kind: 'attribute', key: 'start_time' },
      { kind: 'metric', key: 'val/acc', agg: 'last' },
      { kind: 'metric', key: 'a`b c', agg: 'min' },
      { kind: 'metric', key: 'val.loss', agg: 'count' },
      { kind: 'param', key: '1st' },
      { kind: 'tag', key: 'mlflow.note.content' },
    ];
    const text = orderByText(fields.map((field, i) => ({ field, dir: i % 2 ? 'desc' : 'asc' })));
    assert.deepEqual(parseOrderBy(text), fields.map((field, i) => ({ field, ascending: i % 2 === 0 })));
    assert.equal(fieldText(fields[2]!), 'min(metrics.`a``b c`)');
    assert.equal(quoteKey('val_loss'), 'val_loss');
  });
});
