/**
 * Plain helpers of the campaign screens (no Svelte, no browser APIs), unit-tested in
 * tests/campaigns.test.ts.
 */
import type { CampaignFieldsFragment, GrievanceStatus } from '../../generated/graphql';

export type CampaignPhaseFields = CampaignFieldsFragment['phases'][number];
export type PhaseGoalFields = CampaignPhaseFields['goals'][number];

/** What the grievance page knows about the viewer and the grievance. */
export interface StartCampaignFacts {
  readonly signedIn: boolean;
  readonly status: GrievanceStatus;
  readonly inCampaign: boolean;
  /** `viewerCan.moderate`: organisers of the neighbourhood and admins. */
  readonly moderate: boolean;
  readonly viewerIsAuthor: boolean;
  readonly viewerHasCosigned: boolean;
  /** The neighbourhood's `campaignSettings.residentsMayStart`; null while unknown. */
  readonly residentsMayStart: boolean | null;
}

/**
 * Whether to offer "start a campaign" on a grievance: the server's rule (startCampaign), read
 * from the fields it gives. Organisers and admins always; a resident who raised or co-signed it
 * when the neighbourhood allows it; only for grievances that are open or acknowledged and in
 * no campaign. The server checks again.
 */
export function mayStartCampaign(facts: StartCampaignFacts): boolean {
  if (!facts.signedIn || facts.inCampaign) return false;
  if (facts.status !== 'OPEN' && facts.status !== 'ACKNOWLEDGED') return false;
  if (facts.moderate) return true;
  return (facts.viewerIsAuthor || facts.viewerHasCosigned) && facts.residentsMayStart === true;
}

/** Whether the residents' settings must be read to decide `mayStartCampaign`. */
export function needsSettings(facts: Omit<StartCampaignFacts, 'residentsMayStart'>): boolean {
  return (
    facts.signedIn &&
    !facts.inCampaign &&
    !facts.moderate &&
    (facts.status === 'OPEN' || facts.status === 'ACKNOWLEDGED') &&
    (facts.viewerIsAuthor || facts.viewerHasCosigned)
  );
}

/** The change goals to send: trimmed, empty boxes left out, in the order given. */
export function changeGoalsToSend(goals: readonly string[]): string[] {
  return goals.map((goal) => goal.trim()).filter((goal) => goal !== '');
}

/** Move the item at `index` one place up (-1) or down (+1); out of range leaves the list as it is. */
export function moved<T>(items: readonly T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  const copy = [...items];
  if (index < 0 || index >= items.length || to < 0 || to >= items.length) return copy;
  const [item] = copy.splice(index, 1) as [T];
  copy.splice(to, 0, item);
  return copy;
}

/** A goal's bar value, 0 to 100: the server's percentage, kept within bounds. */
export function barPercent(goal: Pick<PhaseGoalFields, 'progressPercent' | 'met' | 'target'>): number {
  if (goal.target === null) return goal.met ? 100 : 0;
  return Math.min(100, Math.max(0, Math.round(goal.progressPercent)));
}

/** The goals of a phase that are not met: completing it needs a reason for each. */
export function unmetGoals(phase: CampaignPhaseFields): PhaseGoalFields[] {
  return phase.goals.filter((goal) => !goal.met);
}

/** Whether `phase` is the last one of the campaign: completing it closes the campaign. */
export function isLastPhase(campaign: Pick<CampaignFieldsFragment, 'phases'>, phase: CampaignPhaseFields): boolean {
  return campaign.phases.every((other) => other.position <= phase.position);
}

/** A whole number typed by a person ("1.200", "1200", " 40 "), or null when it is not one. */
export function parseCount(raw: string): number | null {
  const cleaned = raw.trim().replace(/[.\s](?=\d{3}(\D|$))/g, '');
  if (!/^\d+$/.test(cleaned)) return null;
  const value = Number(cleaned);
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * A number field's value for the API: null when empty, the number when it is one, and -1 for
 * anything else, so that the server answers with its own message (the allowed range, in the
 * person's language) instead of the form dropping what was typed.
 */
export function countToSend(raw: string): number | null {
  if (raw.trim() === '') return null;
  return parseCount(raw) ?? -1;
}
