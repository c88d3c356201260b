import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import Sigma from 'sigma';
import { EdgeLineProgram, EdgeRectangleProgram, NodePointProgram } from 'sigma/rendering';
import { useClient, useQuery, type OperationResult } from 'urql';
import type { NeighborhoodQuery as NeighborhoodData } from '../../gql/graphql';
import { ErrorNote } from '../../components/Status';
import { navigate } from '../../lib/router';
import { recordName } from '../customer/Customer360';
import { GraphSetupQuery, NeighborhoodQuery, OrganizationSearchQuery, RelationshipPathQuery } from './documents';
import { FrameLayout } from './layout';
import { addRecord, addRelationship, highlightPath, newGraph, type CrmGraph, type EdgeAttributes, type NodeAttributes } from './model';

// ForceAtlas2 runs in a web worker after each change until the nodes barely move (mean
// movement per iteration under LAYOUT_SETTLED of the drawing's extent, LAYOUT_CALM
// iterations in a row), and never longer than LAYOUT_MAX_MS.
const LAYOUT_SETTLED = 0.0005;
const LAYOUT_CALM = 10;
const LAYOUT_MAX_MS = 5000;
// Its positions are drawn at most this often: each time sigma re-processes every node, a
// long task with thousands of them; in between, the camera moves at full frame rate.
const LAYOUT_DRAW_MS = 120;
const MAX_NODES = 5000; // a neighbourhood is drawn up to this many records

const BIG_GRAPH = 1000; // from this many nodes, edges too wait until the layout stops
const hideEdge = (_edge: string, attributes: EdgeAttributes) => ({ ...attributes, hidden: true });

/** Cheap to draw with thousands of nodes: 1-pixel line edges (the path's edges are thick
 *  rectangles), point-sprite nodes, and neither edges nor labels while the camera moves. */
const SIGMA_SETTINGS = {
  renderEdgeLabels: false,
  labelRenderedSizeThreshold: 6,
  allowInvalidContainer: true,
  hideEdgesOnMove: true,
  hideLabelsOnMove: true,
  defaultEdgeType: 'line',
  edgeProgramClasses: { line: EdgeLineProgram, thick: EdgeRectangleProgram },
  defaultNodeType: 'point',
  nodeProgramClasses: { point: NodePointProgram },
};

interface Listed { id: string; label: string; kind: string }

export default function GraphView({ focus }: { focus: string | null }) {
  const { t } = useTranslation();
  const client = useClient();
  const container = useRef<HTMLDivElement>(null);
  const graphRef = useRef<CrmGraph>(newGraph());
  const sigmaRef = useRef<Sigma<NodeAttributes, EdgeAttributes> | null>(null);
  const layoutRef = useRef<FrameLayout | null>(null);
  const [depth, setDepth] = useState(1);
  const [kinds, setKinds] = useState<string[]>([]);
  const [listed, setListed] = useState<Listed[]>([]);
  const [counts, setCounts] = useState({ nodes: 0, edges: 0 });
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [to, setTo] = useState('');
  const [path, setPath] = useState<{ text: string; length: number } | null | 'none'>(null);
  const [webgl, setWebgl] = useState('');
  const [total, setTotal] = useState<number | null>(null);
  const generation = useRef(0);

  const [setup] = useQuery({ query: GraphSetupQuery });
  const allKinds = setup.data?.relationshipKinds.edges.map((e) => e.node) ?? [];
  const [found] = useQuery({ query: OrganizationSearchQuery, variables: { search }, pause: search.trim().length < 2 });
  const start = focus ?? null;

  /** ForceAtlas2 in its web worker until the drawing settles; labels (and, on big graphs,
   *  edges) wait until the nodes stop moving (placing them is the costliest part of a frame
   *  while every node moves). More records arriving meanwhile keep it running. */
  const runLayout = () => {
    const layout = layoutRef.current;
    const renderer = sigmaRef.current;
    const element = container.current;
    if (!layout || graphRef.current.order < 2) return;
    if (!layout.isRunning()) {
      renderer?.setSetting('renderLabels', false);
      if (graphRef.current.order > BIG_GRAPH) renderer?.setSetting('edgeReducer', hideEdge);
      if (element) element.dataset.layout = 'running';
      layoutStarted.current = performance.now();
    }
    layout.run();
  };
  const layoutStopped = () => {
    const renderer = sigmaRef.current;
    const layout = layoutRef.current;
    renderer?.setSetting('renderLabels', true);
    renderer?.setSetting('edgeReducer', null);
    const element = container.current;
    if (element && layout) {
      // For the browser tests and bench/graph_frames.mjs: how the last layout went.
      element.dataset.layout = 'stopped';
      element.dataset.layoutMs = String(Math.round(performance.now() - layoutStarted.current));
      element.dataset.layoutIterations = String(layout.iterations);
      element.dataset.layoutFrames = String(layout.applied);
      element.dataset.layoutSettled = String(layout.settled);
    }
  };
  const layoutStoppedRef = useRef(layoutStopped);
  layoutStoppedRef.current = layoutStopped;
  const layoutStarted = useRef(0);

  const changed = useCallback(() => {
    const graph = graphRef.current;
    setCounts({ nodes: graph.order, edges: graph.size });
    setListed(graph.mapNodes((id, a) => ({ id, label: a.label, kind: a.kind })).sort((a, b) => a.label.localeCompare(b.label)));
    runLayout();
  }, []);

  /** Adds the records within `hops` of `id` to the drawing, page by page (nearest first),
   *  up to MAX_NODES; a newer drawing (focus, depth or kinds changed) stops an older one. */
  const expand = useCallback(async (id: string, hops: number, drawing = generation.current, focused = false) => {
    let after: string | null = null;
    do {
      const result: OperationResult<NeighborhoodData> = await client.query(NeighborhoodQuery, { id, depth: hops, kinds: kinds.length ? kinds : null, after }).toPromise();
      if (drawing !== generation.current) return;
      if (result.error) {
        setError(result.error.message);
        return;
      }
      const root = result.data?.node;
      if (!root) return;
      const graph = graphRef.current;
      addRecord(graph, root);
      const page = 'neighbors' in root ? root.neighbors : null;
      for (const edge of page?.edges ?? []) {
        // Next to the record it was reached from (already drawn: pages come nearest first).
        const { source, target } = edge.relationship;
        addRecord(graph, edge.node, source?.id === edge.node.id ? target?.id : source?.id ?? id);
        addRelationship(graph, edge.relationship);
      }
      if (page && focused) setTotal(page.totalCount);
      changed();
      after = page?.pageInfo.hasNextPage && graph.order < MAX_NODES ? page.pageInfo.endCursor ?? null : null;
    } while (after);
  }, [client, kinds, changed]);
  const expandRef = useRef(expand);
  expandRef.current = expand;

  // Sigma draws with WebGL; the layout worker moves the nodes.
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const graph = graphRef.current;
    const renderer = new Sigma<NodeAttributes, EdgeAttributes>(graph, element, SIGMA_SETTINGS);
    sigmaRef.current = renderer;
    layoutRef.current = new FrameLayout(graph, {
      settled: LAYOUT_SETTLED,
      calm: LAYOUT_CALM,
      maxMs: LAYOUT_MAX_MS,
      drawEveryMs: LAYOUT_DRAW_MS,
      onStop: () => layoutStoppedRef.current(),
    });
    // The camera's zoom, on the element (not React state: no re-render while one pans).
    renderer.getCamera().on('updated', (state) => {
      element.dataset.zoom = state.ratio.toFixed(4);
    });
    renderer.on('clickNode', ({ node }) => void expandRef.current(node, 1));
    renderer.on('doubleClickNode', ({ node }) => {
      if (graph.getNodeAttribute(node, 'kind') === 'Organization') navigate(`/organizations/${encodeURIComponent(node)}`);
    });
    const canvas = element.querySelector('canvas');
    const gl = canvas ? (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) : null;
    setWebgl(gl ? (gl instanceof WebGL2RenderingContext ? 'webgl2' : 'webgl') : 'none');
    return () => {
      layoutRef.current?.kill();
      layoutRef.current = null;
      renderer.kill();
      sigmaRef.current = null;
    };
  }, []);

  // Focus, depth or edge kinds changed: draw that neighbourhood afresh.
  useEffect(() => {
    const drawing = ++generation.current;
    graphRef.current.clear();
    setPath(null);
    setTotal(null);
    changed();
    if (start) void expand(start, depth, drawing, true);
  }, [start, depth, kinds, expand, changed]);

  const findPath = async (event: FormEvent) => {
    event.preventDefault();
    if (!start || !to) return;
    const result = await client.query(RelationshipPathQuery, { from: start, to, kinds: kinds.length ? kinds : null }, { requestPolicy: 'network-only' }).toPromise();
    const found = result.data?.relationshipPath;
    if (!found) {
      setPath('none');
      highlightPath(graphRef.current, [], []);
      return;
    }
    const graph = graphRef.current;
    found.nodes.forEach((node, i) => addRecord(graph, node, found.nodes[i - 1]?.id));
    found.edges.forEach((edge) => addRelationship(graph, edge));
    const edgeIds = found.edges
      .map((e) => (graph.hasEdge(e.id) ? e.id : e.source && e.target && graph.hasNode(e.source.id) && graph.hasNode(e.target.id) ? graph.edge(e.source.id, e.target.id) : undefined))
      .filter((id): id is string => !!id);
    highlightPath(graph, found.nodes.map((n) => n.id), edgeIds);
    changed();
    setPath({ text: found.nodes.map((n) => recordName(n)).join(' → '), length: found.length });
  };

  const organizations = found.data?.organizations.edges.map((e) => e.node) ?? [];
  return (
    <section>
      <div className="toolbar">
        <h1>{t('graph.title')}</h1>
        <span className="muted" data-testid="graph-counts" data-nodes={counts.nodes} data-edges={counts.edges}>
          {t('graph.nodes', { nodes: counts.nodes, edges: counts.edges })}
        </span>
        {total !== null && total + 1 > counts.nodes && (
          <span className="muted" data-testid="graph-partial">{t('graph.partial', { shown: counts.nodes, total: total + 1 })}</span>
        )}
      </div>
      {error && <ErrorNote message={error} />}
      <div className="graph-layout">
        <aside className="panel stack">
          <label className="stack">
            <span>{t('graph.search')}</span>
            <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} list="org-results" />
          </label>
          <ul aria-label={t('graph.pick')}>
            {organizations.map((o) => (
              <li key={o.id}>
                <button type="button" className="link" onClick={() => navigate(`/graph?focus=${encodeURIComponent(o.id)}`)}>{o.name}</button>{' '}
                <button type="button" className="link" onClick={() => setTo(o.id)} aria-label={`${t('graph.to')} ${o.name}`}>{t('graph.to')}</button>
              </li>
            ))}
          </ul>
          <label className="inline">
            <span>{t('graph.depth')}</span>
            <select value={depth} onChange={(e) => setDepth(Number(e.target.value))}>
              {[1, 2, 3].map((d) => <option key={d} value={d}>{d}</option>)}
            </select>
          </label>
          <fieldset>
            <legend>{t('graph.kinds')}</legend>
            {allKinds.map((k) => (
              <label key={k.id} className="inline" style={{ display: 'flex' }}>
                <input
                  type="checkbox"
                  checked={kinds.includes(k.key)}
                  onChange={(e) => setKinds((now) => (e.target.checked ? [...now, k.key] : now.filter((x) => x !== k.key)))}
                />
                {k.label}
              </label>
            ))}
          </fieldset>
          <form className="stack" onSubmit={findPath}>
            <label className="stack">
              <span>{t('graph.to')}</span>
              <select value={to} onChange={(e) => setTo(e.target.value)} data-testid="path-to">
                <option value="">{t('graph.pick')}</option>
                {[...listed, ...organizations.map((o) => ({ id: o.id, label: o.name, kind: 'Organization' }))]
                  .filter((n, i, all) => n.id !== start && all.findIndex((m) => m.id === n.id) === i)
                  .map((n) => <option key={n.id} value={n.id}>{n.label}</option>)}
              </select>
            </label>
            <button type="submit" className="primary" disabled={!start || !to}>{t('graph.findPath')}</button>
          </form>
          {path === 'none' && <p role="status">{t('graph.noPath')}</p>}
          {path && path !== 'none' && <p role="status" data-testid="path" data-length={path.length}>{t('graph.path', { steps: path.text })}</p>}
          <button type="button" onClick={runLayout} data-testid="graph-relayout" disabled={counts.nodes < 2}>{t('graph.relayout')}</button>
          <p className="muted">{t('graph.expand')}</p>
          <ul className="node-list" aria-label={t('graph.expand')}>
            {listed.map((n) => (
              <li key={n.id}>
                <button type="button" className="link" data-testid="expand" onClick={() => void expand(n.id, 1)}>{n.label}</button>
              </li>
            ))}
          </ul>
        </aside>
        <div ref={container} className="graph-canvas" data-testid="graph-canvas" data-webgl={webgl} />
      </div>
    </section>
  );
}
