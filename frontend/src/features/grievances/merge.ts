/** Choosing which grievances to merge into another one. Pure, so it can be tested on its own. */

export interface MergeCandidate {
  readonly id: string;
  readonly title: string;
}

/** Fold case and accents, so "cafe" finds "Café". */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The grievances that may be merged into `survivorId`: every other one, narrowed down to
 * titles containing all words of `search`. Chosen ones always stay visible.
 */
export function mergeCandidates<T extends MergeCandidate>(
  all: readonly T[],
  survivorId: string,
  search: string,
  chosen: readonly string[] = [],
): T[] {
  const words = foldForSearch(search).split(' ').filter((word) => word !== '');
  return all.filter((candidate) => {
    if (candidate.id === survivorId) return false;
    if (chosen.includes(candidate.id)) return true;
    const title = foldForSearch(candidate.title);
    return words.every((word) => title.includes(word));
  });
}
