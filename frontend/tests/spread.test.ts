import { describe, expect, it } from 'vitest';
import { spreadPins, type ScreenPoint } from '../src/ui/map/spread';

const placed = (points: ScreenPoint[], spacing: number): ScreenPoint[] =>
  spreadPins(points, spacing).map((offset, index) => ({
    x: (points[index]?.x ?? 0) + offset.dx,
    y: (points[index]?.y ?? 0) + offset.dy,
  }));

const closest = (points: ScreenPoint[]): number => {
  let best = Infinity;
  points.forEach((a, i) =>
    points.slice(i + 1).forEach((b) => {
      best = Math.min(best, Math.hypot(a.x - b.x, a.y - b.y));
    }),
  );
  return best;
};

describe('spreadPins', () => {
  it('leaves pins that are far apart where they are', () => {
    expect(spreadPins([{ x: 0, y: 0 }, { x: 100, y: 0 }], 32)).toEqual([{ dx: 0, dy: 0 }, { dx: 0, dy: 0 }]);
  });

  it('moves pins on the same spot apart by at least the spacing', () => {
    const same = Array.from({ length: 5 }, () => ({ x: 50, y: 50 }));
    expect(closest(placed(same, 32))).toBeGreaterThanOrEqual(32 - 1e-9);
  });

  it('spreads a chain of nearby pins and keeps a lone pin still', () => {
    const points = [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 20, y: 0 }, { x: 300, y: 300 }];
    const result = placed(points, 32);
    expect(closest(result.slice(0, 3))).toBeGreaterThanOrEqual(32 - 1e-9);
    expect(result[3]).toEqual({ x: 300, y: 300 });
  });
});
