/**
 * Stand-in keys of rows without a key that no row of the source gives any more
 * (counts.source.standInsNotSeen of the last light check): their entries stay on the worklist until
 * a person closes them, so `status` says so, with the command, and exits with attention.
 */
import { describe, expect, it } from 'vitest';
import type { StoredReport } from '../../ledger/audit-types.js';
import { ATTENTION_KINDS } from '../../pipelines/observability/attention.js';
import { sourceFindingsAttention } from '../../pipelines/observability/findings-attention.js';

const light = (source: Record<string, unknown>, byKind: Record<string, number> = {}): StoredReport => ({
  reportId: 'r-1',
  pipeline: 'food',
  mode: 'light',
  differences: 0,
  summary: { byKind, counts: { source } },
  report: {},
  createdAt: new Date('2026-03-10T03:00:00Z'),
});

describe('status on stand-ins no row gives any more', () => {
  it('is an attention of its own, naming the count, the report and the command', () => {
    expect(ATTENTION_KINDS).toContain('quarantine-stand-ins');
    const notes = sourceFindingsAttention('food', 'market-food', light({ total: 10, standInsNotSeen: 2 }));
    expect(notes.map((n) => n.kind)).toEqual(['quarantine-stand-ins']);
    expect(notes[0]?.message).toContain('2 stand-in key(s)');
    expect(notes[0]?.message).toContain('r-1');
    expect(notes[0]?.message).toContain(
      'licbridge quarantine resolve <key> --pipeline food --reason LB_SOURCE_KEY_MISSING',
    );
  });

  it('stands beside a gap the same check found', () => {
    const notes = sourceFindingsAttention(
      'food',
      'market-food',
      light({ standInsNotSeen: 1 }, { missed: 1 }),
    );
    expect(notes.map((n) => n.kind)).toEqual(['check-gap', 'quarantine-stand-ins']);
  });

  it('says nothing when none was counted', () => {
    expect(sourceFindingsAttention('food', 'market-food', light({ total: 10 }))).toEqual([]);
  });
});
