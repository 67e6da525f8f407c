import { CronExpressionParser } from 'cron-parser';
import type { AccountStatus } from './statuses.ts';

/** How long a soft-deleted account can be restored before the purge job removes it. */
export const SOFT_DELETE_RETENTION_DAYS = 30;

const DAY_MS = 24 * 3600 * 1000;

export interface ScheduledTransition {
  what: 'inactivity-suspension' | 'suspension-ends' | 'auto-unlock' | 'purge';
  at: Date;
}

/** The next change the system will make by itself, shown on the account card. */
export function nextAutomaticTransition(
  account: { status: AccountStatus; statusChangedAt: Date; lastSignInAt: Date | null; createdAt: Date; suspendedUntil: Date | null; deletedAt: Date | null },
  organisation: { inactivityDays: number; autoUnlockMinutes: number | null },
): ScheduledTransition | null {
  switch (account.status) {
    case 'ACTIVE': {
      // Inactivity counts from the last sign-in, or from when the account last became ACTIVE (an unlock, a
      // reactivation) if that is later: an account unlocked after an inactivity suspension gets a whole period.
      const since = Math.max((account.lastSignInAt ?? account.createdAt).getTime(), account.statusChangedAt.getTime());
      return { what: 'inactivity-suspension', at: new Date(since + organisation.inactivityDays * DAY_MS) };
    }
    case 'SUSPENDED':
      return account.suspendedUntil ? { what: 'suspension-ends', at: account.suspendedUntil } : null;
    case 'LOCKED_OUT':
      return organisation.autoUnlockMinutes
        ? { what: 'auto-unlock', at: new Date(account.statusChangedAt.getTime() + organisation.autoUnlockMinutes * 60_000) }
        : null;
    case 'DELETED':
      return account.deletedAt ? { what: 'purge', at: new Date(account.deletedAt.getTime() + SOFT_DELETE_RETENTION_DAYS * DAY_MS) } : null;
    default:
      return null;
  }
}

/**
 * When a cron schedule next fires after `from`, read in `timezone`: the inactivity sweep's next run, computed by the
 * same parser (and version) that BullMQ's job scheduler uses, so the card and the scheduler agree.
 */
export function nextSweepRun(cron: string, timezone: string, from: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: from, tz: timezone }).next().toDate();
}
