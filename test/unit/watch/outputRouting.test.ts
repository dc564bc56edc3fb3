import * as assert from 'node:assert/strict';
import { OutputRendezvous, OutputTap, sameCommandText, taskCommandText } from '../../../src/extension/watch/outputRouting';

/** An output stream whose chunks the test pushes. */
function stream() {
  const queue: Array<string | null> = [];
  let wake: (() => void) | undefined;
  const iterable: AsyncIterable<string> = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (queue.length === 0) await new Promise<void>((r) => (wake = r));
        const next = queue.shift()!;
        if (next === null) return;
        yield next;
      }
    },
  };
  const push = (chunk: string | null) => {
    queue.push(chunk);
    wake?.();
  };
  return { iterable, push };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('watch/outputRouting', () => {
  it('drained: waits for the last lines still on their way when the run ends, and no longer than its limit', async () => {
    const s = stream();
    const tap = new OutputTap(s.iterable, () => assert.fail('no error'));
    const got: string[] = [];
    tap.attach((c) => got.push(c));
    s.push('epoch 1 loss=0.29\n');
    const draining = tap.drained(5_000);
    setTimeout(() => {
      s.push('epoch 2 loss=0.17\n');
      s.push(null);
    }, 20);
    await draining;
    assert.deepEqual(got, ['epoch 1 loss=0.29\n', 'epoch 2 loss=0.17\n'], 'the late line arrived before drained() resolved');

    const open = stream();
    const never = new OutputTap(open.iterable, () => assert.fail('no error'));
    await never.drained(30); // a stream that never closes does not hold the end (else the test times out)
  });

  it('keeps output read before anyone takes it, then forwards the rest in order', async () => {
    const s = stream();
    const tap = new OutputTap(s.iterable, () => assert.fail('no error'));
    s.push('a');
    s.push('b');
    await tick();
    const got: string[] = [];
    tap.attach((c) => got.push(c));
    s.push('c');
    s.push(null);
    await tap.done;
    assert.deepEqual(got, ['a', 'b', 'c']);
  });

  it('reports a failing stream and still settles', async () => {
    let reported: Error | undefined;
    const failing: AsyncIterable<string> = { async *[Symbol.asyncIterator]() { yield 'x'; throw new Error('gone'); } };
    const tap = new OutputTap(failing, (e) => (reported = e));
    await tap.done;
    assert.equal(reported?.message, 'gone');
  });

  it('hands a command to the expectation it matches, whichever comes first', () => {
    let now = 0;
    const rendezvous = new OutputRendezvous(() => now);
    const taps = [1, 2, 3].map(() => new OutputTap(stream().iterable, () => undefined));
    const taken: string[] = [];
    rendezvous.expect((line) => line.includes('train.py'), () => taken.push('debug'), 1000);
    assert.equal(rendezvous.offer('ls', taps[0]!), false);
    assert.equal(rendezvous.offer('python3 train.py', taps[1]!), true);
    assert.deepEqual(taken, ['debug']);
    assert.equal(rendezvous.offer('python3 train.py', taps[1]!), false, 'an expectation is used once');

    // An offer kept for a while is taken by an expectation that comes later, not after it expired.
    rendezvous.offer(' *  Executing task: python3 a.py ', taps[2]!, 500);
    now = 400;
    rendezvous.expect((line) => taskCommandText(line) === 'python3 a.py', () => taken.push('task'), 1000);
    assert.deepEqual(taken, ['debug', 'task']);
    rendezvous.offer(' *  Executing task: python3 b.py ', taps[2]!, 500);
    now = 1000;
    rendezvous.expect((line) => taskCommandText(line) === 'python3 b.py', () => taken.push('late'), 1000);
    assert.deepEqual(taken, ['debug', 'task']);
  });

  it('lets an expectation expire or be cancelled', () => {
    let now = 0;
    const rendezvous = new OutputRendezvous(() => now);
    const tap = new OutputTap(stream().iterable, () => undefined);
    const cancel = rendezvous.expect(() => true, () => assert.fail('cancelled'), 1000);
    cancel();
    assert.equal(rendezvous.offer('x', tap), false);
    rendezvous.expect(() => true, () => assert.fail('expired'), 1000);
    now = 1001;
    assert.equal(rendezvous.offer('x', tap), false);
  });

  it('reads the command of a task from the line VS Code writes for it', () => {
    assert.equal(taskCommandText(' *  Executing task: python3 train.py --lr 0.3 '), 'python3 train.py --lr 0.3');
    assert.equal(taskCommandText(' *  Executing task in folder ws: python3 t.py '), 'python3 t.py');
    assert.equal(taskCommandText('python3 train.py'), undefined);
    assert.ok(sameCommandText(' python3  train.py\t--lr 1', 'python3 train.py --lr 1'));
    assert.ok(!sameCommandText('python3 train.py', 'python3 train2.py'));
  });
});

describe('watch/outputRouting memory', () => {
  it('drops the output of a command nobody takes', async () => {
    const s = stream();
    const tap = new OutputTap(s.iterable, () => undefined);
    s.push('a');
    await tick();
    tap.discard();
    s.push('b');
    await tick();
    const got: string[] = [];
    tap.attach((c) => got.push(c));
    s.push('c');
    s.push(null);
    await tap.done;
    assert.deepEqual(got, ['c']);
  });

  it('drops a kept offer when its time is up', async () => {
    const s = stream();
    const tap = new OutputTap(s.iterable, () => undefined);
    s.push('early');
    await tick();
    new OutputRendezvous().offer(' *  Executing task: x ', tap, 10);
    await new Promise((r) => setTimeout(r, 30));
    const got: string[] = [];
    tap.attach((c) => got.push(c));
    assert.deepEqual(got, []);
  });
});
