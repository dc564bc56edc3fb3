/**
 * The lineage graph: dataset version → run → model version → derived version, with alias badges
 * on model nodes. Without a focus it holds every model version, the runs that produced them and
 * the datasets those runs read. With a focus it holds the focus and everything upstream and
 * downstream of it (not the siblings reached through a shared dataset). Layout is the UI's job.
 */
import type { Database } from 'sql.js';
import {
  lineageNodeId, type LineageEdge, type LineageEdgeKind, type LineageFocus, type LineageGraph, type LineageNode, type ModelLineageNode,
} from '../../shared/modelTypes';
import type { RunStatus } from '../../shared/runEvents';
import { rows } from '../store/queries';
import { readModelRegistry } from './modelQueries';

export function buildLineageGraph(db: Database, focus?: LineageFocus): LineageGraph {
  const nodes = new Map<string, LineageNode>();
  const edges = new Map<string, LineageEdge>();
  const addEdge = (from: string, to: string, kind: LineageEdgeKind, label: string | null): void => {
    const id = `${kind}:${from}->${to}${label === null ? '' : `:${label}`}`;
    edges.set(id, { id, from, to, kind, label });
  };

  const view = readModelRegistry(db);
  for (const model of view.models) {
    for (const v of model.versions) {
      nodes.set(lineageNodeId.model(v.name, v.version), {
        id: lineageNodeId.model(v.name, v.version), kind: 'model', label: `${v.name} v${v.version}`, name: v.name, version: v.version,
        aliases: v.aliases, framework: v.framework, origin: v.origin, derivation: v.derivation, missing: false,
      });
    }
  }
  const runsProducingModels = new Set<string>();
  for (const model of view.models) {
    for (const v of model.versions) {
      const id = lineageNodeId.model(v.name, v.version);
      if (v.runUid !== null) {
        runsProducingModels.add(v.runUid);
        addEdge(lineageNodeId.run(v.runUid), id, 'produced', null);
      }
      if (v.parent) {
        const parentId = lineageNodeId.model(v.parent.name, v.parent.version);
        if (!nodes.has(parentId)) nodes.set(parentId, missingModel(v.parent.name, v.parent.version));
        addEdge(parentId, id, 'derived', v.derivation);
      }
    }
  }

  // Every run and dataset use goes into the full graph; without a focus, only model lineage is kept below.
  for (const r of rows(db, `SELECT r.uid, COALESCE(r.renamed, r.name) AS name, e.name AS experiment, r.status, r.started
      FROM runs r LEFT JOIN experiments e ON e.id = r.experiment_id`)) {
    const uid = String(r.uid);
    nodes.set(lineageNodeId.run(uid), {
      id: lineageNodeId.run(uid), kind: 'run', label: r.name === null ? uid : String(r.name), uid,
      experiment: r.experiment === null ? null : String(r.experiment), status: String(r.status) as RunStatus | 'unknown',
      started: r.started === null ? null : Number(r.started),
    });
  }
  for (const uid of runsProducingModels) {
    // A registration may name a run the index does not hold (yet): keep the edge, show the uid.
    if (!nodes.has(lineageNodeId.run(uid))) {
      nodes.set(lineageNodeId.run(uid), { id: lineageNodeId.run(uid), kind: 'run', label: uid, uid, experiment: null, status: 'unknown', started: null });
    }
  }
  for (const d of rows(db, `SELECT r.uid, d.path, d.sha256, d.rows, u.role FROM dataset_use u
      JOIN datasets d ON d.id = u.dataset_id JOIN runs r ON r.id = u.run_id`)) {
    const sha256 = d.sha256 === null || d.sha256 === '' ? null : String(d.sha256);
    const id = lineageNodeId.dataset(String(d.path), sha256);
    nodes.set(id, { id, kind: 'dataset', label: String(d.path), path: String(d.path), sha256, rows: d.rows === null ? null : Number(d.rows) });
    addEdge(id, lineageNodeId.run(String(d.uid)), 'input', d.role === null ? null : String(d.role));
  }

  const seeds = focus ? focusIds(nodes, focus) : [...nodes.values()].filter((n) => n.kind === 'model').map((n) => n.id);
  const keep = focus ? connected(seeds, [...edges.values()]) : upstream(seeds, [...edges.values()]);
  return {
    nodes: [...nodes.values()].filter((n) => keep.has(n.id)).sort((a, b) => cmp(a.id, b.id)),
    edges: [...edges.values()].filter((e) => keep.has(e.from) && keep.has(e.to)).sort((a, b) => cmp(a.id, b.id)),
    focus: focus ? seeds.sort(cmp) : [],
  };
}

function missingModel(name: string, version: number): ModelLineageNode {
  return {
    id: lineageNodeId.model(name, version), kind: 'model', label: `${name} v${version}`, name, version, aliases: [], framework: null,
    origin: null, derivation: null, missing: true,
  };
}

function focusIds(nodes: Map<string, LineageNode>, focus: LineageFocus): string[] {
  const out: string[] = [];
  for (const n of nodes.values()) {
    if (focus.kind === 'run' && n.kind === 'run' && n.uid === focus.uid) out.push(n.id);
    if (focus.kind === 'model' && n.kind === 'model' && n.name === focus.name && (focus.version === undefined || n.version === focus.version)) out.push(n.id);
    if (focus.kind === 'dataset' && n.kind === 'dataset' && n.path === focus.path && (focus.sha256 === undefined || n.sha256 === focus.sha256)) out.push(n.id);
  }
  return out;
}

/** The seeds and everything upstream of them. */
function upstream(seeds: readonly string[], edges: readonly LineageEdge[]): Set<string> {
  return reach(seeds, edges, 'up');
}

/** The seeds, everything upstream and everything downstream. */
function connected(seeds: readonly string[], edges: readonly LineageEdge[]): Set<string> {
  const keep = reach(seeds, edges, 'up');
  for (const id of reach(seeds, edges, 'down')) keep.add(id);
  return keep;
}

function reach(seeds: readonly string[], edges: readonly LineageEdge[], direction: 'up' | 'down'): Set<string> {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    const [a, b] = direction === 'up' ? [e.to, e.from] : [e.from, e.to];
    const list = next.get(a);
    if (list) list.push(b);
    else next.set(a, [b]);
  }
  const seen = new Set<string>(seeds);
  const queue = [...seeds];
  while (queue.length > 0) {
    for (const n of next.get(queue.pop()!) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return seen;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
