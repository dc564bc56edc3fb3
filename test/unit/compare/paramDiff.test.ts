import * as assert from 'node:assert/strict';
import { canonicalJson, paramRows } from '../../../src/core/compare/paramDiff';

describe('paramRows', () => {
  it('marks the parameters whose values differ, counting a missing one as different', () => {
    const rows = paramRows([
      { lr: 0.01, batch: 32, optimizer: 'adam', layers: [64, 32] },
      { lr: 0.001, batch: 32, optimizer: 'adam', layers: [64, 32], dropout: 0.1 },
    ]);
    assert.deepEqual(rows.map((r) => [r.key, r.differs]), [
      ['batch', false], ['dropout', true], ['layers', false], ['lr', true], ['optimizer', false],
    ]);
    const dropout = rows.find((r) => r.key === 'dropout')!;
    assert.deepEqual(dropout.values, [null, '0.1']);
    assert.deepEqual(dropout.numbers, [null, 0.1]);
    assert.deepEqual(rows.find((r) => r.key === 'layers')!.values, ['[64,32]', '[64,32]']);
  });

  it('treats objects with the same entries in another order as equal, and 1 and "1" as different', () => {
    const rows = paramRows([{ cfg: { a: 1, b: 2 }, n: 1 }, { cfg: { b: 2, a: 1 }, n: '1' }]);
    assert.equal(rows.find((r) => r.key === 'cfg')!.differs, false);
    assert.equal(rows.find((r) => r.key === 'n')!.differs, true);
  });

  it('gives numbers for plots: booleans as 0/1, text as null', () => {
    const [flag, name] = paramRows([{ flag: true, name: 'x' }, { flag: false, name: 'y' }]);
    assert.deepEqual(flag!.numbers, [1, 0]);
    assert.deepEqual(name!.numbers, [null, null]);
  });

  it('finds nothing different in a single run', () => {
    assert.ok(paramRows([{ a: 1, b: 'x' }]).every((r) => !r.differs));
  });

  it('writes canonical JSON', () => {
    assert.equal(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null }), '{"a":null,"b":[1,{"c":2,"d":1}]}');
  });
});
