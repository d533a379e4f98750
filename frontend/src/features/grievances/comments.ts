/** Keeping the loaded comments of a grievance in order. Pure, so it can be tested on its own. */

export interface Dated {
  readonly id: string;
  readonly createdAt: string;
}

/**
 * The comments to show after fresh ones arrived from the server: a fresh version of a
 * comment replaces the one on screen, comments loaded earlier stay, oldest first (newest last).
 */
export function mergeComments<T extends Dated>(fresh: readonly T[], shown: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const comment of shown) byId.set(comment.id, comment);
  for (const comment of fresh) byId.set(comment.id, comment);
  const time = (comment: T): number => {
    const value = Date.parse(comment.createdAt);
    return Number.isNaN(value) ? 0 : value;
  };
  const order = new Map<string, number>();
  [...shown, ...fresh].forEach((comment, index) => {
    if (!order.has(comment.id)) order.set(comment.id, index);
  });
  return [...byId.values()].sort((a, b) => time(a) - time(b) || (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}
