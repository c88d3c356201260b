// The drawn graph: records as nodes, relationships as edges, merged as one expands.
import Graph from 'graphology';
import type { GraphEdgeFragment, RecordNameFragment } from '../../gql/graphql';
import { recordName } from '../customer/Customer360';

export const TYPE_COLORS: Record<string, string> = {
  Organization: '#2457d6',
  Contact: '#17794a',
  Opportunity: '#9a5b00',
  User: '#7a3fb0',
};
export const PATH_COLOR = '#e0301e';
const EDGE_COLOR = '#b8c0cc';

export interface NodeAttributes { x: number; y: number; size: number; label: string; color: string; kind: string; onPath?: boolean }
export interface EdgeAttributes { label: string; color: string; size: number; kind: string; type?: 'line' | 'thick'; onPath?: boolean }
export type CrmGraph = Graph<NodeAttributes, EdgeAttributes>;

export function newGraph(): CrmGraph {
  return new Graph({ multi: false, type: 'undirected' }) as CrmGraph;
}

/** Adds a record near `near` (so the layout starts from a sensible place). */
export function addRecord(graph: CrmGraph, record: RecordNameFragment, near?: string): void {
  if (graph.hasNode(record.id)) return;
  const origin = near && graph.hasNode(near) ? graph.getNodeAttributes(near) : { x: 0, y: 0 };
  const angle = Math.random() * 2 * Math.PI;
  graph.addNode(record.id, {
    x: origin.x + Math.cos(angle) * 10,
    y: origin.y + Math.sin(angle) * 10,
    size: record.__typename === 'Organization' ? 9 : 6,
    label: recordName(record),
    color: TYPE_COLORS[record.__typename] ?? '#888',
    kind: record.__typename,
  });
}

export function addRelationship(graph: CrmGraph, edge: GraphEdgeFragment): void {
  const source = edge.source?.id;
  const target = edge.target?.id;
  if (!source || !target || !graph.hasNode(source) || !graph.hasNode(target) || source === target) return;
  if (graph.hasEdge(edge.id) || graph.hasEdge(source, target)) return;
  graph.addEdgeWithKey(edge.id, source, target, { label: edge.kind, color: EDGE_COLOR, size: 1.5, kind: edge.kind });
}

/** Colours the path's nodes and edges; everything else back to normal. */
export function highlightPath(graph: CrmGraph, nodeIds: readonly string[], edgeIds: readonly string[]): void {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  graph.forEachNode((node, attributes) => {
    graph.mergeNodeAttributes(node, {
      onPath: nodes.has(node),
      color: nodes.has(node) ? PATH_COLOR : TYPE_COLORS[attributes.kind] ?? '#888',
    });
  });
  graph.forEachEdge((edge) => {
    const on = edges.has(edge);
    graph.mergeEdgeAttributes(edge, { onPath: on, color: on ? PATH_COLOR : EDGE_COLOR, size: on ? 4 : 1.5, type: on ? 'thick' : 'line' });
  });
}
