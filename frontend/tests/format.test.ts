import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDistance } from '../src/lib/format';

describe('dates', () => {
  it('are written out in the language of the interface, in Dutch time', () => {
    expect(formatDate('2026-05-03T10:00:00Z', 'nl')).toBe('3 mei 2026');
    expect(formatDate('2026-05-03T10:00:00Z', 'en')).toBe('3 May 2026');
    // Just before midnight in UTC is the next day in Amsterdam.
    expect(formatDate('2026-05-03T23:30:00Z', 'nl')).toBe('4 mei 2026');
  });

  it('have a time when needed', () => {
    expect(formatDateTime('2026-01-15T13:05:00Z', 'nl')).toBe('15 januari 2026 om 14:05');
    expect(formatDateTime('2026-01-15T13:05:00Z', 'en')).toBe('15 January 2026 at 14:05');
  });

  it('leave text that is not a date as it is', () => {
    expect(formatDate('not a date', 'nl')).toBe('not a date');
  });
});

describe('distances', () => {
  it('are rounded metres up to a kilometre', () => {
    expect(formatDistance(0, 'nl')).toBe('10 m');
    expect(formatDistance(44, 'nl')).toBe('40 m');
    expect(formatDistance(349, 'nl')).toBe('350 m');
    expect(formatDistance(974, 'en')).toBe('950 m');
  });

  it('are kilometres with a decimal comma in Dutch', () => {
    expect(formatDistance(990, 'nl')).toBe('1 km');
    expect(formatDistance(1234, 'nl')).toBe('1,2 km');
    expect(formatDistance(1234, 'en')).toBe('1.2 km');
    expect(formatDistance(12_600, 'en')).toBe('13 km');
  });

  it('are empty when unknown', () => {
    expect(formatDistance(Number.NaN, 'nl')).toBe('');
    expect(formatDistance(-1, 'nl')).toBe('');
  });
});
