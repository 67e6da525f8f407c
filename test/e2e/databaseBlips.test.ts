import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blocksText } from '../support/slackReplies.ts';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

const VIEWER = 'U0BLIPVIEW';

let t: TestRoster;

beforeAll(async () => {
  t = await startTestRoster();
  await t.given.grant(VIEWER, 'viewer');
});
afterAll(() => t?.stop());

describe('a database that drops connections in the middle of transactions', () => {
  it('leaves Roster answering, however many times it happens (no connection is kept by a dead transaction)', async () => {
    const ana = await t.given.account({ firstName: 'Ana', lastName: 'Blip' });
    const orm = t.roster.orm;
    // More dead transactions than the pool has connections (10): each would strand one if its rollback leaked it.
    for (let i = 0; i < 12; i++) {
      const dropped = orm.em.fork().transactional(async (tx) => {
        const [backend] = await tx.execute<{ pid: number }[]>('select pg_backend_pid() as pid');
        await orm.em.fork().execute('select pg_terminate_backend(?)', [backend!.pid]);
        await tx.execute('select 1');
      });
      await expect(dropped).rejects.toThrow(/terminat|connection error/);
    }
    expect(blocksText(await t.slash(ana.email, VIEWER))).toContain('Ana Blip');
  });
});
