import * as assert from 'node:assert/strict';
import { NotebookSession } from '../../../src/core/notebooks/notebookSession';

const MIN = 60_000;

describe('notebooks/NotebookSession', () => {
  it('starts a run with the first cell and keeps later cells in it while the counter grows', () => {
    const s = new NotebookSession(30 * MIN);
    assert.deepEqual(s.begin('a', 1, 0), { kind: 'new', reason: 'first', previousLastActivity: null });
    s.finish('a', 1000);
    assert.deepEqual(s.begin('b', 2, 2000), { kind: 'same' });
    s.finish('b', 3000);
    // Out of document order, but a higher count: the same kernel session.
    assert.deepEqual(s.begin('c', 7, 4000), { kind: 'same' });
  });

  it('takes a counter at or below the highest seen as a kernel restart, ending at the last activity', () => {
    const s = new NotebookSession(30 * MIN);
    s.begin('a', 1, 0);
    s.finish('a', 500);
    s.begin('b', 2, 1000);
    s.finish('b', 1500);
    assert.deepEqual(s.begin('c', 1, 9000), { kind: 'new', reason: 'restart', previousLastActivity: 1500 });
    s.finish('c', 9500);
    // The same number again after a second restart.
    assert.deepEqual(s.begin('d', 1, 9800), { kind: 'new', reason: 'restart', previousLastActivity: 9500 });
  });

  it('starts a new run after the idle time with nothing running, not before', () => {
    const s = new NotebookSession(30 * MIN);
    s.begin('a', 1, 0);
    s.finish('a', 1000);
    assert.equal(s.idleDeadline(), 1000 + 30 * MIN);
    assert.deepEqual(s.begin('b', 2, 1000 + 30 * MIN), { kind: 'same' });
    s.finish('b', 2000 + 30 * MIN);
    assert.deepEqual(s.begin('c', 3, 2001 + 60 * MIN), { kind: 'new', reason: 'idle', previousLastActivity: 2000 + 30 * MIN });
  });

  it('never ends a run for idleness while a cell is still executing', () => {
    const s = new NotebookSession(30 * MIN);
    s.begin('long', 1, 0);
    assert.equal(s.idleDeadline(), undefined);
    assert.equal(s.expire(5 * 60 * MIN), null);
    // A second cell queued behind the long one belongs to the same run.
    assert.deepEqual(s.begin('next', 2, 2 * 60 * MIN), { kind: 'same' });
    s.finish('long', 3 * 60 * MIN);
    assert.equal(s.isRunning('long'), false);
    assert.equal(s.isRunning('next'), true);
    s.finish('next', 3 * 60 * MIN + 10);
    assert.equal(s.expire(3 * 60 * MIN + 10 + 30 * MIN - 1), null);
    assert.equal(s.expire(3 * 60 * MIN + 10 + 30 * MIN), 3 * 60 * MIN + 10);
    assert.equal(s.hasOpenRun, false);
    assert.deepEqual(s.begin('again', 3, 5 * 60 * MIN), { kind: 'new', reason: 'first', previousLastActivity: null });
  });

  it('without execution counters only idleness separates runs', () => {
    const s = new NotebookSession(MIN);
    assert.equal(s.begin('a', null, 0).kind, 'new');
    s.finish('a', 10);
    assert.deepEqual(s.begin('b', null, 20), { kind: 'same' });
    s.finish('b', 30);
    assert.deepEqual(s.begin('c', null, 31 + MIN), { kind: 'new', reason: 'idle', previousLastActivity: 30 });
  });

  it('close ends the open run once', () => {
    const s = new NotebookSession(MIN);
    assert.equal(s.close(), null);
    s.begin('a', 4, 100);
    s.finish('a', 200);
    assert.equal(s.close(), 200);
    assert.equal(s.close(), null);
  });
});
