import { describe, expect, it } from 'vitest';
import { movement } from './layout';

/** A ForceAtlas2 node matrix (10 values a node, x and y first) from [x, y] pairs. */
const matrix = (points: [number, number][]) => {
  const m = new Float32Array(points.length * 10);
  points.forEach(([x, y], i) => {
    m[i * 10] = x;
    m[i * 10 + 1] = y;
  });
  return m;
};

describe('movement (when ForceAtlas2 has settled)', () => {
  it('is the mean distance moved as a share of the drawing extent', () => {
    const before = matrix([[0, 0], [100, 0], [0, 50]]);
    const after = matrix([[3, 4], [100, 0], [0, 50]]); // one node of three moved 5
    expect(movement(before, after)).toBeCloseTo(5 / 3 / 100);
  });

  it('is 0 when nothing moved, whatever the scale', () => {
    const still = matrix([[0, 0], [1e6, 3], [5, 5]]);
    expect(movement(still, still.slice())).toBe(0);
    expect(movement(matrix([]), matrix([]))).toBe(0);
  });

  it('does not depend on the zoom: the same moves on a drawing twice as big count the same', () => {
    const small = movement(matrix([[0, 0], [10, 10]]), matrix([[1, 0], [10, 10]]));
    const big = movement(matrix([[0, 0], [20, 20]]), matrix([[2, 0], [20, 20]]));
    expect(big).toBeCloseTo(small);
    expect(small).toBeGreaterThan(0);
  });
});
