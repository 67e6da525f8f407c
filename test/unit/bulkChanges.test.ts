import { describe, expect, it } from 'vitest';
import { BULK_CHANGES } from '../../src/actions/accounts/bulk/bulkChanges.ts';
import { startBulkJob } from '../../src/actions/accounts/bulk/startBulkJob.ts';
import { roleIncludes } from '../../src/domain/roles.ts';

describe('bulk changes', () => {
  it.each(Object.entries(BULK_CHANGES))('%s needs no more than a bulk change does (its single action’s role is covered)', (_name, change) => {
    expect(roleIncludes(startBulkJob.requires, change.single.requires)).toBe(true);
  });
});
