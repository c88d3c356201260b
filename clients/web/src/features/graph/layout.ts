import FA2Layout from 'graphology-layout-forceatlas2/worker';
import type { CrmGraph, EdgeAttributes, NodeAttributes } from './model';

/** Values per node in ForceAtlas2's node matrix (x and y come first). */
const PPN = 10;

/** The mean distance the nodes moved between two position matrices, as a share of the
 *  drawing's extent (its wider side): 0 when nothing moved. */
export function movement(before: Float32Array, after: Float32Array): number {
  const count = Math.min(before.length, after.length) / PPN;
  if (count < 1) return 0;
  let moved = 0;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < count * PPN; i += PPN) {
    const x = after[i], y = after[i + 1];
    moved += Math.hypot(x - before[i], y - before[i + 1]);
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const extent = Math.max(maxX - minX, maxY - minY);
  return extent > 0 ? moved / count / extent : 0;
}

export interface LayoutOptions {
  /** Stop once the nodes move less than this share of the drawing's extent per iteration... */
  settled: number;
  /** ...for this many iterations in a row. */
  calm: number;
  /** Stop after this long whatever happens. */
  maxMs: number;
  /** Draw the worker's positions at most this often (each time, sigma re-processes every node). */
  drawEveryMs: number;
  onStop: () => void;
}

interface Supervisor {
  running: boolean;
  matrices: { nodes: Float32Array } | null;
  graph: CrmGraph;
  askForIterations(withEdges?: boolean): void;
}

/**
 * ForceAtlas2 in its web worker, cheap on the main thread: the worker iterates as fast as
 * it can, but its positions are written into the graph (which makes sigma re-process
 * every node) at most every `drawEveryMs`, in an animation frame, not after every
 * iteration as the stock supervisor does; and it stops
 * by itself once the drawing has settled (the nodes barely move) rather than after a
 * fixed time.
 */
export class FrameLayout extends FA2Layout<NodeAttributes, EdgeAttributes> {
  private latest: Float32Array | null = null;
  private frame = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastDrawn = 0;
  private calmFor = 0;
  private deadline = 0;
  private stopTimer: ReturnType<typeof setTimeout> | undefined;
  iterations = 0;
  applied = 0;
  /** Whether the last run stopped because the drawing settled (else: at `maxMs`). */
  settled = false;

  constructor(graph: CrmGraph, private readonly options: LayoutOptions) {
    // barnesHutOptimize: O(n log n) repulsion, the only way a few thousand nodes iterate quickly.
    super(graph, { settings: { gravity: 1, scalingRatio: 8, slowDown: 5, barnesHutOptimize: true, barnesHutTheta: 0.6 } });
  }

  /** Starts (or keeps running) until settled or `maxMs`. */
  run(): void {
    const self = this as unknown as Supervisor;
    this.calmFor = 0;
    this.iterations = 0;
    this.applied = 0;
    this.settled = false;
    this.deadline = performance.now() + this.options.maxMs;
    clearTimeout(this.stopTimer);
    // The deadline holds even if the worker is being respawned (nodes were added).
    this.stopTimer = setTimeout(() => this.finish(), this.options.maxMs);
    if (!self.running) this.start();
  }

  /** Called by the supervisor with each iteration's positions (replaces its own handler,
   *  which wrote them into the graph every time). */
  handleMessage(event: MessageEvent<{ nodes: ArrayBuffer }>): void {
    const self = this as unknown as Supervisor;
    if (!self.running || !self.matrices) return;
    const matrix = new Float32Array(event.data.nodes);
    // (the previous matrix's buffer went to the worker and back: compare with our copy)
    const moved = this.latest && this.latest.length === matrix.length ? movement(this.latest, matrix) : Infinity;
    this.latest = matrix.slice(); // the matrix's buffer goes back to the worker below
    this.iterations++;
    this.calmFor = moved < this.options.settled ? this.calmFor + 1 : 0;
    self.matrices.nodes = matrix;
    if (this.calmFor >= this.options.calm || performance.now() > this.deadline) {
      this.settled = this.calmFor >= this.options.calm;
      this.apply();
      this.finish();
      return;
    }
    this.schedule();
    self.askForIterations();
  }

  /** The latest positions go into the graph at the next animation frame, once `drawEveryMs`
   *  has passed since the last time (the iterations in between are not drawn). */
  private schedule(): void {
    if (this.frame || this.timer !== undefined) return;
    const toFrame = () => {
      this.timer = undefined;
      this.frame = requestAnimationFrame(() => this.apply());
    };
    const wait = this.lastDrawn + this.options.drawEveryMs - performance.now();
    if (wait > 0) this.timer = setTimeout(toFrame, wait);
    else toFrame();
  }

  private apply(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    clearTimeout(this.timer);
    this.frame = 0;
    this.timer = undefined;
    this.lastDrawn = performance.now();
    const matrix = this.latest;
    const graph = (this as unknown as Supervisor).graph;
    if (!matrix || matrix.length !== graph.order * PPN) return;
    let i = 0;
    graph.updateEachNodeAttributes(
      (_node, attributes) => {
        attributes.x = matrix[i];
        attributes.y = matrix[i + 1];
        i += PPN;
        return attributes;
      },
      { attributes: ['x', 'y'] },
    );
    this.applied++;
  }

  private finish(): void {
    clearTimeout(this.stopTimer);
    if (this.frame || this.timer !== undefined) this.apply();
    const wasRunning = this.isRunning();
    this.stop();
    this.latest = null;
    if (wasRunning) this.options.onStop();
  }

  kill(): void {
    clearTimeout(this.stopTimer);
    clearTimeout(this.timer);
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.timer = undefined;
    super.kill();
  }
}
