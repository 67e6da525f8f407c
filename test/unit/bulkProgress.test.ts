// How a job's progress and summary read: the times in them.
import { describe, expect, it } from 'vitest';
import { progressLine, summaryText } from '../../src/present/bulkProgress.ts';

const counts = { pending: 0, created: 0, done: 12, refused: 0, unchanged: 0 };
const summary = (seconds: number) =>
  summaryText({ change: 'lock', description: 'org:acme', state: 'done', total: 12, counts, refusals: [], seconds }).split('\n')[0];

describe('times in progress messages', () => {
  it('says a job that took a fraction of a second took under a second, not 0 s', () => {
    expect(summary(0.3)).toBe('Finished lock on 12 accounts (org:acme) in under a second.');
    expect(summary(0.6)).toContain('in 1 s');
    expect(summary(75)).toContain('in 75 s');
    expect(summary(600)).toContain('in 10 min');
    expect(summary(9000)).toContain('in 2.5 h');
  });

  it('gives elapsed time and an estimate from the pace so far', () => {
    const startedAt = new Date('2026-12-04T10:00:00Z');
    const line = progressLine({ ...counts, done: 250, pending: 750 }, 1000, startedAt, new Date('2026-12-04T10:00:20Z'));
    expect(line).toEqual({ bar: `${'▓'.repeat(5)}${'░'.repeat(15)} 25%`, left: 750, timing: '20 s elapsed, about 60 s to go' });
    expect(progressLine({ ...counts, done: 10, pending: 990 }, 1000, startedAt, new Date(startedAt.getTime() + 100)).timing).toBe(
      'under a second elapsed, about 10 s to go',
    );
  });
});
