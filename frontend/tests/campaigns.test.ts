import { describe, expect, it } from 'vitest';
import {
  barPercent,
  changeGoalsToSend,
  countToSend,
  isLastPhase,
  mayStartCampaign,
  moved,
  needsSettings,
  parseCount,
  unmetGoals,
  type CampaignPhaseFields,
  type StartCampaignFacts,
} from '../src/features/campaigns/campaign';
import { matchRoute, pathFor } from '../src/lib/router/routes';

const resident: StartCampaignFacts = {
  signedIn: true,
  status: 'OPEN',
  inCampaign: false,
  moderate: false,
  viewerIsAuthor: false,
  viewerHasCosigned: true,
  residentsMayStart: true,
};

function phase(position: number, goals: { id: string; met: boolean }[]): CampaignPhaseFields {
  return {
    id: `p${position}`,
    position,
    title: `Fase ${position}`,
    description: '',
    status: position === 0 ? 'ACTIVE' : 'PLANNED',
    reflection: null,
    completedAt: null,
    progressPercent: 0,
    goals: goals.map((goal) => ({
      id: goal.id,
      text: goal.id,
      target: null,
      unit: null,
      currentValue: null,
      progressPercent: goal.met ? 100 : 0,
      met: goal.met,
      metAt: null,
      evidence: null,
      evidenceLink: null,
      unmetReason: null,
    })),
  };
}

describe('mayStartCampaign', () => {
  it('lets a co-signer or the author start one when the neighbourhood allows it', () => {
    expect(mayStartCampaign(resident)).toBe(true);
    expect(mayStartCampaign({ ...resident, viewerHasCosigned: false, viewerIsAuthor: true })).toBe(true);
    expect(mayStartCampaign({ ...resident, residentsMayStart: false })).toBe(false);
    expect(mayStartCampaign({ ...resident, residentsMayStart: null })).toBe(false);
  });

  it('never offers it to other residents or visitors', () => {
    expect(mayStartCampaign({ ...resident, viewerHasCosigned: false })).toBe(false);
    expect(mayStartCampaign({ ...resident, signedIn: false })).toBe(false);
  });

  it('always offers it to organisers and admins, whatever the setting', () => {
    const organiser = { ...resident, moderate: true, viewerHasCosigned: false, residentsMayStart: false };
    expect(mayStartCampaign(organiser)).toBe(true);
    expect(mayStartCampaign({ ...organiser, status: 'ACKNOWLEDGED' })).toBe(true);
  });

  it('only for open or acknowledged grievances in no campaign', () => {
    for (const status of ['IN_CAMPAIGN', 'RESOLVED', 'CLOSED', 'MERGED'] as const) {
      expect(mayStartCampaign({ ...resident, moderate: true, status }), status).toBe(false);
    }
    expect(mayStartCampaign({ ...resident, moderate: true, inCampaign: true })).toBe(false);
  });

  it('reads the settings only when they decide it', () => {
    const { residentsMayStart: _unused, ...facts } = resident;
    expect(needsSettings(facts)).toBe(true);
    expect(needsSettings({ ...facts, moderate: true })).toBe(false);
    expect(needsSettings({ ...facts, viewerHasCosigned: false })).toBe(false);
    expect(needsSettings({ ...facts, status: 'RESOLVED' })).toBe(false);
    expect(needsSettings({ ...facts, signedIn: false })).toBe(false);
  });
});

describe('change goals', () => {
  it('sends the filled-in goals, trimmed, in order', () => {
    expect(changeGoalsToSend(['  Droge huizen ', '', '   ', 'Nieuwe goten'])).toEqual(['Droge huizen', 'Nieuwe goten']);
    expect(changeGoalsToSend([''])).toEqual([]);
  });

  it('moves a goal up or down, and leaves the ends alone', () => {
    expect(moved(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c']);
    expect(moved(['a', 'b', 'c'], 1, 1)).toEqual(['a', 'c', 'b']);
    expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moved(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
    expect(moved(['a'], 5, 1)).toEqual(['a']);
  });
});

describe('counts typed by people', () => {
  it('reads whole numbers, with Dutch thousands separators', () => {
    expect(parseCount('200')).toBe(200);
    expect(parseCount(' 40 ')).toBe(40);
    expect(parseCount('1.200')).toBe(1200);
    expect(parseCount('1 000 000')).toBe(1_000_000);
    expect(parseCount('0')).toBe(0);
  });

  it('refuses what is not a whole number', () => {
    for (const raw of ['', 'veel', '1,5', '-3', '12a', '1.2', '99999999999999999999']) {
      expect(parseCount(raw), raw).toBeNull();
    }
  });

  it('sends null for an empty field and -1 for nonsense, so the server explains the range', () => {
    expect(countToSend('')).toBeNull();
    expect(countToSend('  ')).toBeNull();
    expect(countToSend('134')).toBe(134);
    expect(countToSend('veel')).toBe(-1);
  });
});

describe('phases and goals', () => {
  it('lists the goals that still need a reason', () => {
    const p = phase(0, [
      { id: 'a', met: true },
      { id: 'b', met: false },
    ]);
    expect(unmetGoals(p).map((goal) => goal.id)).toEqual(['b']);
  });

  it('knows the last phase', () => {
    const phases = [phase(0, []), phase(1, []), phase(2, [])];
    expect(isLastPhase({ phases }, phases[2]!)).toBe(true);
    expect(isLastPhase({ phases }, phases[0]!)).toBe(false);
  });

  it('keeps bars within 0 and 100; goals without a number are full once met', () => {
    expect(barPercent({ target: 200, met: false, progressPercent: 67 })).toBe(67);
    expect(barPercent({ target: 200, met: true, progressPercent: 140 })).toBe(100);
    expect(barPercent({ target: 200, met: false, progressPercent: -5 })).toBe(0);
    expect(barPercent({ target: null, met: true, progressPercent: 0 })).toBe(100);
    expect(barPercent({ target: null, met: false, progressPercent: 0 })).toBe(0);
  });
});

describe('campaign routes', () => {
  it('finds the campaign pages and builds their paths', () => {
    expect(matchRoute('/buurt/transvaal/acties')).toEqual({ name: 'campaigns', slug: 'transvaal' });
    expect(matchRoute('/acties/Q2FtcGFpZ246MQ')).toEqual({ name: 'campaign', id: 'Q2FtcGFpZ246MQ' });
    expect(matchRoute('/meldingen/R3JpZXZhbmNlOjE/actie-starten')).toEqual({ name: 'startCampaign', grievanceId: 'R3JpZXZhbmNlOjE' });
    expect(matchRoute('/acties')).toEqual({ name: 'notFound' });
    expect(matchRoute('/acties/a/b')).toEqual({ name: 'notFound' });
    for (const route of [
      { name: 'campaigns', slug: 'oude-westen' },
      { name: 'campaign', id: 'a/b=' },
      { name: 'startCampaign', grievanceId: 'x+y' },
    ] as const) {
      expect(matchRoute(pathFor(route))).toEqual(route);
    }
  });
});
