import { describe, expect, it } from 'vitest';
import type { AccountCard } from '../../src/db/accountCards.ts';
import { nextSweepRun } from '../../src/domain/schedule.ts';
import { accountFacts, plainText, statusLine } from '../../src/present/accountFacts.ts';
import { groupFacts } from '../../src/present/groupFacts.ts';
import type { GroupCard } from '../../src/db/groupCards.ts';

const DAY_MS = 24 * 3600 * 1000;
const now = new Date('2026-12-01T15:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);

function card(fields: Partial<AccountCard> = {}): AccountCard {
  return {
    id: '0b7c53f2-4d1e-4a37-9c8e-2f5b6a1d9e40',
    username: 'ada.lovelace',
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada@example.test',
    organisation: {
      id: 'o1',
      slug: 'demo',
      name: 'Demo',
      inactivityDays: 90,
      lockoutThreshold: 10,
      deletionPolicy: 'soft',
      mfaRequired: false,
      autoUnlockMinutes: null,
    },
    status: 'ACTIVE',
    statusReason: null,
    statusChangedAt: daysAgo(200),
    suspendedUntil: null,
    role: 'user',
    authSource: 'local',
    mfaEnrolled: false,
    developerMode: false,
    failedSignIns: 0,
    passwordTemporary: false,
    lastSignInAt: daysAgo(10),
    createdAt: daysAgo(300),
    updatedAt: daysAgo(10),
    deletedAt: null,
    version: 1,
    modules: [],
    addOns: [],
    groups: [],
    lastChange: null,
    ...fields,
  };
}

const fact = (c: AccountCard, label: string) => accountFacts(c, plainText, { now }).find((f) => f.label === label)?.value;

describe('the status on the account card', () => {
  it('says an ACTIVE account past its inactivity date is due, and when the sweep runs, not a past date', () => {
    const overdue = card({ lastSignInAt: daysAgo(95) });
    const nextSweepAt = new Date('2026-12-02T03:00:00Z');

    const line = statusLine(overdue, plainText, { now, nextSweepAt });

    expect(line).toBe(
      `ACTIVE since ${plainText.date(daysAgo(200))}; due for suspension for inactivity since ${plainText.date(daysAgo(5))}, at the next sweep (2026-12-02 03:00 UTC)`,
    );
    expect(line).not.toContain('suspended for inactivity on');
  });

  it('says "at the next sweep" when the caller does not know when that is', () => {
    expect(statusLine(card({ lastSignInAt: daysAgo(95) }), plainText, { now })).toContain(
      `due for suspension for inactivity since ${plainText.date(daysAgo(5))}, at the next sweep`,
    );
  });

  it('gives an account unlocked after an inactivity suspension a whole period from its unlock', () => {
    const unlocked = card({ lastSignInAt: daysAgo(120), statusChangedAt: daysAgo(2) });
    expect(statusLine(unlocked, plainText, { now })).toBe(
      `ACTIVE since ${plainText.date(daysAgo(2))}; suspended for inactivity on ${plainText.date(new Date(now.getTime() + 88 * DAY_MS))} without a sign-in`,
    );
  });

  it('keeps the future date for an account not yet due', () => {
    const line = statusLine(card({ lastSignInAt: daysAgo(10) }), plainText, { now, nextSweepAt: new Date('2026-12-02T03:00:00Z') });
    expect(line).toBe(
      `ACTIVE since ${plainText.date(daysAgo(200))}; suspended for inactivity on ${plainText.date(new Date(now.getTime() + 80 * DAY_MS))} without a sign-in`,
    );
    expect(line).not.toContain('due for suspension');
  });

  it('says when a timed suspension ends, with the status explained once and the reason given', () => {
    const until = new Date('2026-12-24T09:00:00Z');
    const line = statusLine(card({ status: 'SUSPENDED', statusReason: 'laptop stolen', suspendedUntil: until, statusChangedAt: daysAgo(1) }), plainText, {
      now,
    });
    expect(line).toBe(`SUSPENDED (locked: laptop stolen) since ${plainText.date(daysAgo(1))}; suspension ends 2026-12-24 09:00 UTC`);
  });

  it('names ACTIVE once', () => {
    const status = fact(card(), 'Status')!;
    expect(status).toMatch(/^ACTIVE since /);
    expect(status.match(/active/gi)).toHaveLength(1);
  });

  it('names every other status once, followed by what it means', () => {
    expect(fact(card({ status: 'LOCKED_OUT', failedSignIns: 10 }), 'Status')).toMatch(/^LOCKED_OUT \(too many wrong passwords\) since /);
    expect(fact(card({ status: 'INVITED', lastSignInAt: null }), 'Status')).toMatch(/^INVITED \(has not signed in yet\) since /);
  });
});

describe('the organisation on a card', () => {
  it('shows the name and the slug, each once', () => {
    expect(fact(card(), 'Organisation')).toBe('Demo (demo)');
  });

  it('shows an organisation whose name is its slug once', () => {
    const organisation = { ...card().organisation, name: 'demo' };
    expect(fact(card({ organisation }), 'Organisation')).toBe('demo');
    const group: GroupCard = {
      id: 'g1',
      name: 'Night Shift',
      externalId: null,
      organisation: { id: 'o1', slug: 'demo', name: 'demo' },
      owner: null,
      parent: null,
      memberCount: 0,
      subgroupCount: 0,
      subgroups: [],
      licences: [],
      modules: [],
      createdAt: now,
      updatedAt: now,
    };
    expect(groupFacts(group, plainText).find((f) => f.label === 'Organisation')?.value).toBe('demo');
  });
});

describe('nextSweepRun', () => {
  it('is the next time the sweep cron fires, read in the configured timezone', () => {
    const from = new Date('2026-12-01T15:00:00Z');
    expect(nextSweepRun('0 3 * * *', 'UTC', from)).toEqual(new Date('2026-12-02T03:00:00Z'));
    // 03:00 in Paris is 02:00 UTC in winter and 01:00 UTC in summer.
    expect(nextSweepRun('0 3 * * *', 'Europe/Paris', from)).toEqual(new Date('2026-12-02T02:00:00Z'));
    expect(nextSweepRun('0 3 * * *', 'Europe/Paris', new Date('2026-07-01T12:00:00Z'))).toEqual(new Date('2026-07-02T01:00:00Z'));
  });

  it('is later the same day when the cron time has not come yet', () => {
    expect(nextSweepRun('30 22 * * *', 'UTC', new Date('2026-12-01T15:00:00Z'))).toEqual(new Date('2026-12-01T22:30:00Z'));
  });
});
