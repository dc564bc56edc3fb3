// The one-panel-of-a-kind slot and the saved page state a panel is restored from after a reload.
import * as assert from 'assert';
import * as z from 'zod/mini';
import { createLineageProtocol } from '../../../src/shared/protocol/lineage';
import { createModelVersionProtocol } from '../../../src/shared/protocol/modelVersion';
import { PanelSlot, type ClosablePanel } from '../../../src/extension/webview/panelSlot';

class FakePanel implements ClosablePanel {
  private listeners: (() => void)[] = [];
  disposed = false;
  onDidDispose = (listener: () => void) => {
    this.listeners.push(listener);
    return { dispose: () => undefined };
  };
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const l of this.listeners) l();
  }
}

describe('PanelSlot', () => {
  it('reuses the open panel and forgets it when it closes', () => {
    const slot = new PanelSlot<FakePanel>();
    const first = slot.getOrCreate(() => new FakePanel());
    assert.strictEqual(slot.getOrCreate(() => new FakePanel()), first);
    first.dispose();
    assert.strictEqual(slot.panel, undefined);
    assert.notStrictEqual(slot.getOrCreate(() => new FakePanel()), first);
  });

  it('adopts a restored panel, closing the one that was open', () => {
    const slot = new PanelSlot<FakePanel>();
    const open = slot.getOrCreate(() => new FakePanel());
    const restored = slot.adopt(new FakePanel());
    assert.ok(open.disposed);
    assert.strictEqual(slot.panel, restored);
    restored.dispose();
    assert.strictEqual(slot.panel, undefined);
  });
});

describe('saved state a panel is restored from', () => {
  it('takes a Model Version subject only when it is well formed', () => {
    const { subject } = createModelVersionProtocol();
    assert.deepStrictEqual(subject.parse({ name: 'churn', version: 1, against: 2 }), { name: 'churn', version: 1, against: 2 });
    assert.deepStrictEqual(subject.parse({ name: 'churn', version: 3 }), { name: 'churn', version: 3 });
    for (const bad of [undefined, null, {}, { name: '', version: 1 }, { name: 'churn', version: 0 }, { name: 'churn', version: 1.5 }, { name: 'x'.repeat(501), version: 1 }, { name: 'churn', version: '1' }]) {
      assert.strictEqual(subject.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });

  it('takes a Lineage focus of each kind, or null for every version, and nothing else', () => {
    const { focus } = createLineageProtocol();
    for (const good of [{ kind: 'run', uid: 'r1' }, { kind: 'model', name: 'churn' }, { kind: 'model', name: 'churn', version: 2 }, { kind: 'dataset', path: 'data/a.csv', sha256: 'ab' }]) {
      assert.deepStrictEqual(focus.parse(good), good);
    }
    assert.strictEqual(z.nullable(focus).parse(null), null);
    for (const bad of [undefined, {}, { kind: 'run' }, { kind: 'script', uid: 'x' }, { kind: 'model', name: 'churn', version: -1 }]) {
      assert.strictEqual(focus.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });
});
