import { describe, expect, it } from 'vitest';
import type { RecordNameFragment } from '../../gql/graphql';
import { PATH_COLOR, addRecord, addRelationship, highlightPath, newGraph } from './model';

const org = (id: string, name = id) => ({ __typename: 'Organization', id, name }) as RecordNameFragment;
const edge = (id: string, source: string, target: string) => ({ id, kind: 'partner_of', source: { id: source }, target: { id: target } });

describe('the drawn graph', () => {
  it('places a record next to the one it was reached from', () => {
    const graph = newGraph();
    addRecord(graph, org('a'));
    graph.mergeNodeAttributes('a', { x: 500, y: -300 });
    addRecord(graph, org('b'), 'a');
    const b = graph.getNodeAttributes('b');
    expect(Math.hypot(b.x - 500, b.y + 300)).toBeCloseTo(10, 5);
  });

  it('adds an edge once, and only between drawn records', () => {
    const graph = newGraph();
    addRecord(graph, org('a'));
    addRecord(graph, org('b'));
    addRelationship(graph, edge('e1', 'a', 'b'));
    addRelationship(graph, edge('e2', 'b', 'a'));
    addRelationship(graph, edge('e3', 'a', 'missing'));
    expect(graph.size).toBe(1);
    expect(graph.hasEdge('e1')).toBe(true);
  });

  it('draws the path thick and red, and every other edge as a thin line', () => {
    const graph = newGraph();
    for (const id of ['a', 'b', 'c']) addRecord(graph, org(id));
    addRelationship(graph, edge('ab', 'a', 'b'));
    addRelationship(graph, edge('bc', 'b', 'c'));
    highlightPath(graph, ['a', 'b'], ['ab']);
    expect(graph.getEdgeAttributes('ab')).toMatchObject({ type: 'thick', color: PATH_COLOR, onPath: true });
    expect(graph.getEdgeAttributes('bc')).toMatchObject({ type: 'line', onPath: false });
    expect(graph.getNodeAttribute('c', 'color')).not.toBe(PATH_COLOR);
    highlightPath(graph, [], []);
    expect(graph.getEdgeAttributes('ab')).toMatchObject({ type: 'line', onPath: false });
  });
});
