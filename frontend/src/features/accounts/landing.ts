import type { ViewerFieldsFragment } from '../../generated/graphql';
import { safeReturnPath } from '../../lib/router/returnPath';
import { pathFor } from '../../lib/router/routes';

/**
 * Where a person lands after signing in: back where they were when there is a return path;
 * otherwise organisers on "needs a response", and residents in their neighbourhood (or the list
 * of neighbourhoods). Never the profile page: that is a dead end for someone who wanted to act.
 */
export function landingPath(viewer: ViewerFieldsFragment, returnPath: string | null | undefined): string {
  const back = safeReturnPath(returnPath);
  if (back !== null) return back;
  if (viewer.memberships.some((membership) => membership.role === 'ORGANISER')) return pathFor({ name: 'needsResponse' });
  const [only, ...others] = viewer.memberships;
  if (only && others.length === 0) return pathFor({ name: 'neighbourhood', slug: only.neighbourhood.slug });
  return pathFor({ name: 'home' });
}
