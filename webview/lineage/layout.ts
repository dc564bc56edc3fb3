/**
 * Where the lineage graph's nodes and edges go: a left-to-right layered layout by dagre (datasets,
 * then runs, then model versions, then what was derived from them). No geometry is made up here;
 * this only feeds dagre the boxes the page measured and reads back its coordinates.
 */
import { Graph, layout } from '@dagrejs/dagre';
import type { LineageEdge, LineageGraph, LineageNode } from '../../src/shared/modelTypes';

export interface Size {
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** A node's box, with its top-left corner. */
export interface PlacedNode {
  node: LineageNode;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  edge: LineageEdge;
  /** From the source box's border to the target box's border. */
  points: Point[];
  /** Centre of the label, when the edge has one. */
  label: Point | null;
}

export interface LineageLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

export interface LayoutMeasures {
  node(node: LineageNode): Size;
  /** Null for an edge drawn without a label. */
  edgeLabel(edge: LineageEdge): Size | null;
}

export const LAYOUT_SPACING = { nodesep: 16, ranksep: 64, edgesep: 8, margin: 24 } as const;

export function layoutLineage(graph: LineageGraph, measures: LayoutMeasures): LineageLayout {
  const g = new Graph({ multigraph: true });
  g.setGraph({
    rankdir: 'LR', nodesep: LAYOUT_SPACING.nodesep, ranksep: LAYOUT_SPACING.ranksep, edgesep: LAYOUT_SPACING.edgesep,
    marginx: LAYOUT_SPACING.margin, marginy: LAYOUT_SPACING.margin,
  });
  g.setDefaultEdgeLabel(() => ({}));
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const n of graph.nodes) g.setNode(n.id, { ...measures.node(n) });
  const drawn = graph.edges.filter((e) => byId.has(e.from) && byId.has(e.to) && e.from !== e.to);
  for (const e of drawn) {
    const label = measures.edgeLabel(e);
    g.setEdge(e.from, e.to, label ? { width: label.width, height: label.height, labelpos: 'c' } : {}, e.id);
  }
  layout(g);

  const nodes: PlacedNode[] = graph.nodes.map((n) => {
    const l = g.node(n.id) as { x: number; y: number; width: number; height: number };
    return { node: n, x: l.x - l.width / 2, y: l.y - l.height / 2, width: l.width, height: l.height };
  });
  const edges: PlacedEdge[] = drawn.map((e) => {
    const l = g.edge({ v: e.from, w: e.to, name: e.id }) as { points?: Point[]; x?: number; y?: number; width?: number };
    const hasLabel = l.width !== undefined && l.x !== undefined && l.y !== undefined;
    return { edge: e, points: (l.points ?? []).map((p) => ({ x: p.x, y: p.y })), label: hasLabel ? { x: l.x!, y: l.y! } : null };
  });
  const size = g.graph() as { width?: number; height?: number };
  return { nodes, edges, width: size.width ?? 0, height: size.height ?? 0 };
}
