/** A point on the screen, in pixels. */
export interface ScreenPoint {
  x: number;
  y: number;
}

/** How far a pin is moved from its own place, in pixels. */
export interface PinOffset {
  dx: number;
  dy: number;
}

/**
 * Offsets that keep pins at least `spacing` pixels apart, so that every pin stays a tap target of
 * its own (WCAG 2.2 target size). Pins closer than `spacing` to each other form a group; a group is
 * laid out on a ring around its middle, just large enough for the spacing. Pins far from others stay
 * where they are.
 */
export function spreadPins(points: readonly ScreenPoint[], spacing: number): PinOffset[] {
  const parent = points.map((_, index) => index);
  const root = (index: number): number => {
    let current = index;
    while (parent[current] !== current) current = parent[current] ?? current;
    parent[index] = current;
    return current;
  };
  for (let i = 0; i < points.length; i += 1) {
    for (let j = i + 1; j < points.length; j += 1) {
      const a = points[i];
      const b = points[j];
      if (a && b && Math.hypot(a.x - b.x, a.y - b.y) < spacing) {
        const ra = root(i);
        const rb = root(j);
        if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
      }
    }
  }
  const groups = new Map<number, number[]>();
  points.forEach((_, index) => {
    const key = root(index);
    groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  const offsets: PinOffset[] = points.map(() => ({ dx: 0, dy: 0 }));
  for (const members of groups.values()) {
    const count = members.length;
    if (count < 2) continue;
    const middle = members.reduce(
      (sum, index) => ({ x: sum.x + (points[index]?.x ?? 0) / count, y: sum.y + (points[index]?.y ?? 0) / count }),
      { x: 0, y: 0 },
    );
    // Neighbours on a ring of radius r are 2·r·sin(π/n) apart.
    const radius = spacing / (2 * Math.sin(Math.PI / count));
    members.forEach((index, position) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * position) / count;
      const point = points[index] ?? middle;
      offsets[index] = {
        dx: middle.x + radius * Math.cos(angle) - point.x,
        dy: middle.y + radius * Math.sin(angle) - point.y,
      };
    });
  }
  return offsets;
}
