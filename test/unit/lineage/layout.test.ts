import * as assert from 'node:assert/strict';
import { lineageNodeId, type LineageEdge, type LineageGraph, type LineageNode } from '../../../src/shared/modelTypes';
import { layoutLineage, type LayoutMeasures, type PlacedNode } from '../../../webview/lineage/layout';
import { centreOn, fitView, initialView, MAX_SCALE, MIN_SCALE, READABLE_SCALE, zoomAt } from '../../../webview/lineage/viewport';

const measures: LayoutMeasures = {
  node: (n) => ({ width: 80 + n.label.length * 7, height: n.kind === 'model' && n.aliases.length ? 60 : 42 }),
  edgeLabel: (e) => (e.label ? { width: e.label.length * 6 + 8, height: 16 } : null),
};

const dataset = (path: string): LineageNode => ({ id: lineageNodeId.dataset(path, null), kind: 'dataset', label: path, path, sha256: null, rows: null });
const run = (uid: string): LineageNode => ({ id: lineageNodeId.run(uid), kind: 'run', label: uid, uid, experiment: null, status: 'finished', started: null });
const model = (name: string, version: number, aliases: string[] = []): LineageNode => ({
  id: lineageNodeId.model(name, version), kind: 'model', label: `${name} v${version}`, name, version, aliases, framework: 'onnx', origin: 'run', derivation: null, missing: false,
});
const edge = (from: LineageNode, to: LineageNode, kind: LineageEdge['kind'], label: string | null = null): LineageEdge =>
  ({ id: `${kind}:${from.id}->${to.id}`, from: from.id, to: to.id, kind, label });

function overlaps(a: PlacedNode, b: PlacedNode): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function assertNoOverlaps(nodes: readonly PlacedNode[]): void {
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) assert.ok(!overlaps(nodes[i]!, nodes[j]!), `${nodes[i]!.node.id} overlaps ${nodes[j]!.node.id}`);
  }
}

describe('lineage layout (dagre)', () => {
  it('lays out dataset → run → model → derived version from left to right, with edge labels', () => {
    const d = dataset('data/train.csv');
    const r = run('run-1');
    const teacher = model('churn', 1, ['champion']);
    const student = model('churn-student', 1);
    const graph: LineageGraph = {
      nodes: [d, r, teacher, student],
      edges: [edge(d, r, 'input', 'train'), edge(r, teacher, 'produced'), edge(teacher, student, 'derived', 'distilled')],
      focus: [],
    };
    const layout = layoutLineage(graph, measures);
    const at = new Map(layout.nodes.map((p) => [p.node.id, p]));
    const centreX = (n: LineageNode) => at.get(n.id)!.x + at.get(n.id)!.width / 2;
    assert.ok(centreX(d) < centreX(r) && centreX(r) < centreX(teacher) && centreX(teacher) < centreX(student), 'ranks follow the edges');
    assert.equal(at.get(teacher.id)!.height, 60, 'the measured size is kept');
    assertNoOverlaps(layout.nodes);
    for (const e of layout.edges) {
      const from = at.get(e.edge.from)!;
      const to = at.get(e.edge.to)!;
      const first = e.points[0]!;
      const last = e.points[e.points.length - 1]!;
      assert.ok(Math.abs(first.x - (from.x + from.width)) < 1, `${e.edge.id} leaves its source's right side`);
      assert.ok(Math.abs(last.x - to.x) < 1, `${e.edge.id} enters its target's left side`);
      assert.equal(e.label !== null, e.edge.label !== null);
      if (e.label) assert.ok(e.label.x > from.x + from.width && e.label.x < to.x, 'the label sits between the two boxes');
    }
    assert.ok(layout.width >= Math.max(...layout.nodes.map((p) => p.x + p.width)));
    assert.ok(layout.height >= Math.max(...layout.nodes.map((p) => p.y + p.height)));
  });

  it('places 200 nodes without overlaps, quickly, and skips edges to nodes it was not given', () => {
    const nodes: LineageNode[] = [];
    const edges: LineageEdge[] = [];
    const datasets = Array.from({ length: 10 }, (_, i) => dataset(`data/part-${i}.csv`));
    nodes.push(...datasets);
    for (let i = 0; i < 63; i++) {
      const r = run(`run-${i}`);
      const m = model(`model-${i % 7}`, 1 + Math.floor(i / 7), i % 9 === 0 ? ['champion'] : []);
      nodes.push(r, m);
      edges.push(edge(datasets[i % 10]!, r, 'input', 'train'), edge(r, m, 'produced'));
      if (i % 3 === 0) {
        const q = model(`model-${i % 7}-int8`, 1 + Math.floor(i / 7));
        nodes.push(q);
        edges.push(edge(m, q, 'derived', 'quantized'));
      }
    }
    while (nodes.length < 200) nodes.push(run(`lonely-${nodes.length}`));
    edges.push({ id: 'dangling', from: 'run:run-0', to: 'model:gone@1', kind: 'produced', label: null });
    const started = Date.now();
    const layout = layoutLineage({ nodes, edges, focus: [] }, measures);
    const ms = Date.now() - started;
    assert.equal(layout.nodes.length, 200);
    assert.equal(layout.edges.length, edges.length - 1);
    assertNoOverlaps(layout.nodes);
    assert.ok(ms < 5000, `layout took ${ms} ms`);
  });
});

describe('lineage viewport', () => {
  const view = { width: 1000, height: 600 };

  it('fits content into the view, centred, never enlarged past 1:1', () => {
    const small = fitView({ width: 200, height: 100 }, view);
    assert.deepEqual(small, { scale: 1, x: 400, y: 250 });
    const wide = fitView({ width: 4000, height: 600 }, view);
    assert.equal(wide.scale, (1000 - 32) / 4000);
    assert.ok(Math.abs(wide.x - 16) < 1e-9);
    assert.equal(fitView({ width: 1e6, height: 1e6 }, view).scale, MIN_SCALE);
  });

  it('zooms around the pointer, within bounds', () => {
    const v = { scale: 1, x: 10, y: 20 };
    const z = zoomAt(v, 2, 300, 200);
    // The content point under the pointer stays under it.
    assert.equal((300 - v.x) / v.scale, (300 - z.x) / z.scale);
    assert.equal((200 - v.y) / v.scale, (200 - z.y) / z.scale);
    assert.equal(zoomAt(v, 1000, 0, 0).scale, MAX_SCALE);
    assert.equal(zoomAt(v, 0.0001, 0, 0).scale, MIN_SCALE);
  });

  it('opens a big graph readable and centred on the selected node instead of fitting it', () => {
    const content = { width: 6000, height: 3000 };
    const v = initialView(content, view, { x: 4000, y: 1000 });
    assert.deepEqual(v, centreOn(4000, 1000, view, READABLE_SCALE));
    assert.equal(4000 * v.scale + v.x, view.width / 2);
    assert.deepEqual(initialView({ width: 600, height: 300 }, view, { x: 1, y: 1 }), fitView({ width: 600, height: 300 }, view));
  });
});
