import * as assert from 'node:assert/strict';
import { isRunId, newRunId } from '../../../src/core/capture/runId';

describe('capture/runId', () => {
  it('starts with the UTC time of the run and ends with 8 hex digits', () => {
    const id = newRunId(new Date(Date.UTC(2026, 10, 22, 1, 42, 11, 999)));
    assert.match(id, /^20261122-014211-[0-9a-f]{8}$/);
    assert.ok(isRunId(id));
  });

  it('pads every field', () => {
    assert.match(newRunId(new Date(Date.UTC(2003, 0, 2, 3, 4, 5))), /^20030102-030405-/);
  });

  it('differs between two ids made in the same second', () => {
    const at = new Date();
    assert.notEqual(newRunId(at), newRunId(at));
  });

  it('recognises only its own shape', () => {
    assert.ok(isRunId('20261122-014211-a1b2c3d4'));
    for (const bad of ['', '20261122-014211-A1B2C3D4', '20261122-014211-a1b2c3d', '2026112-014211-a1b2c3d4',
      '20261122-014211-a1b2c3d4x', 'x20261122-014211-a1b2c3d4', '../20261122-014211-a1b2c3d4']) {
      assert.equal(isRunId(bad), false, bad);
    }
  });
});
