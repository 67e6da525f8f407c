/** What a helpdesk alert says about one lockout: whose account, how many attempts, from where and when. */
export interface LockoutFacts {
  accountId: string;
  name: string;
  email: string;
  organisation: string;
  attempts: number;
  ip: string;
  lockedAt: Date;
}
