import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { normaliseLogin } from '../domain/accounts.ts';
import { Account, type IAccount } from './entities/index.ts';

/** The account an ID, email or username names, with its organisation (Slack resolves @mentions to the email before this). */
export function findAccountByRef(em: EntityManager, ref: string): Promise<IAccount | null> {
  const where = z.uuid().safeParse(ref).success
    ? { id: ref.toLowerCase() }
    : ref.includes('@')
      ? { email: normaliseLogin(ref) }
      : { username: normaliseLogin(ref) };
  return em.findOne(Account, where, { populate: ['organisation'] });
}
