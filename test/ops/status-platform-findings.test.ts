import { describe, expect, it } from 'vitest';
import type { StoredReport } from '../../ledger/audit-types.js';
import { platformFindingsAttention } from '../../pipelines/observability/findings-attention.js';

function fullCheck(byKind: Record<string, number>): StoredReport {
  return {
    reportId: 'r-7',
    pipeline: 'food',
    mode: 'full',
    differences: Object.values(byKind).reduce((a, b) => a + b, 0),
    summary: { byKind },
    report: {},
    createdAt: new Date('2026-12-01T00:00:00Z'),
  };
}

describe("status's line for what the last full check found at the platforms", () => {
  it('counts an entry the platform lists but cannot be read, and names that kind', () => {
    const [note] = platformFindingsAttention('food', fullCheck({ 'unreadable-at-platform': 2 }));
    expect(note?.kind).toBe('check-platform');
    expect(note?.message).toContain('found 2 license(s) a platform holds otherwise than the ledger');
    expect(note?.message).toContain(
      'missing, unknown, another status or content, or an entry that cannot be read',
    );
    expect(note?.message).toContain('flags what was changed or cannot be read there');
  });

  it('says what a repair does with a license only the platform holds, and what it leaves to a person', () => {
    const [note] = platformFindingsAttention('food', fullCheck({ 'unknown-at-platform': 2 }));
    expect(note?.message).toContain(
      'adopts and revokes a license no source row stands behind when `reconcile.unknownAtPlatform` is `revoke`',
    );
    expect(note?.message).toContain(
      'a license whose source row is quarantined it only flags: correct that record (`licbridge quarantine list --pipeline food`), and the next run issues it again',
    );
  });

  it('says nothing when the full check found the platforms as the ledger, or there was none', () => {
    expect(platformFindingsAttention('food', fullCheck({ 'missed-at-source': 3 }))).toEqual([]);
    expect(platformFindingsAttention('food', undefined)).toEqual([]);
  });
});
