/**
 * Which quarantined keys a run reads again by key (pipelines/quarantine-recheck.ts
 * `chooseRecheckKeys`): those whose fault may have been fixed elsewhere, at most `limit`, least
 * recently seen first, each run's share after the last one's.
 */
import { describe, expect, it } from 'vitest';
import type { OpenQuarantineEntry } from '../../ledger/quarantine-queries.js';
import { chooseRecheckKeys } from '../../pipelines/quarantine-recheck.js';

const RUN = 'run-now';

function entry(
  key: string,
  codes: string[],
  lastSeen: string,
  lastRunId = 'run-before',
): OpenQuarantineEntry {
  return {
    pipeline: 'p',
    sourceKey: key,
    reasons: codes.map((code) => ({ code, message: 'm' })),
    firstSeen: new Date(lastSeen),
    lastSeen: new Date(lastSeen),
    timesSeen: 1,
    lastRunId,
  };
}

describe('chooseRecheckKeys', () => {
  it('takes duplicated keys of earlier runs, never this run’s own read', () => {
    const entries = [
      entry('a', ['LB_SOURCE_KEY_DUPLICATE'], '2026-01-01T00:00:00Z'),
      entry('b', ['LB_SOURCE_KEY_AMBIGUOUS'], '2026-01-02T00:00:00Z'),
      entry('c', ['LB_SOURCE_KEY_DUPLICATE'], '2026-01-03T00:00:00Z', RUN),
      entry('d', ['LB_MAP_DATE'], '2026-01-01T00:00:00Z'),
    ];
    expect(chooseRecheckKeys(entries, {}, 10, RUN).keys).toEqual(['a', 'b']);
  });

  it('takes a renewal whose predecessor was unknown only when versions were issued after it was seen', () => {
    const entries = [
      entry('r1', ['LB_PREDECESSOR_UNKNOWN'], '2026-01-01T00:00:00Z', RUN),
      entry('r2', ['LB_PREDECESSOR_UNKNOWN'], '2026-01-03T00:00:00Z'),
    ];
    expect(chooseRecheckKeys(entries, {}, 10, RUN).keys).toEqual([]);
    expect(chooseRecheckKeys(entries, { issuedAt: '2026-01-02T00:00:00Z' }, 10, RUN).keys).toEqual(['r1']);
  });

  it('takes any reason last seen before the mapping changed, but no stand-in, version limit or stored text', () => {
    const entries = [
      entry('m1', ['LB_MAP_DATE'], '2026-01-01T00:00:00Z'),
      entry('m2', ['LB_HOLDER_ID_CHECK'], '2026-01-05T00:00:00Z'),
      entry('k', ['LB_SOURCE_KEY_MISSING'], '2026-01-01T00:00:00Z'),
      entry('v', ['LB_VERSION_LIMIT'], '2026-01-01T00:00:00Z'),
      entry('s', ['LB_MAP_DATE', 'LB_STORED_TEXT'], '2026-01-01T00:00:00Z'),
    ];
    expect(chooseRecheckKeys(entries, { changedAt: '2026-01-02T00:00:00Z' }, 10, RUN).keys).toEqual(['m1']);
  });

  it('takes at most `limit`, least recently seen first, and the next share after the last', () => {
    const entries = ['e', 'd', 'c', 'b', 'a'].map((k, i) =>
      entry(k, ['LB_SOURCE_KEY_DUPLICATE'], `2026-01-0${i + 1}T00:00:00Z`),
    );
    const first = chooseRecheckKeys(entries, {}, 2, RUN);
    expect(first.keys).toEqual(['e', 'd']);
    const second = chooseRecheckKeys(entries, first.after ? { after: first.after } : {}, 2, RUN);
    expect(second.keys).toEqual(['c', 'b']);
    // The keys the source no longer holds keep their place: the share goes round to them again.
    const third = chooseRecheckKeys(entries, second.after ? { after: second.after } : {}, 2, RUN);
    expect(third.keys).toEqual(['a', 'e']);
    expect(chooseRecheckKeys(entries, {}, 0, RUN).keys).toEqual([]);
  });

  it('keeps where the share ended without a key: a source key may be an ID number', () => {
    const key = 'k1-shaped-like-an-id-number';
    const entries = [key, 'k2', 'k3'].map((k) =>
      entry(k, ['LB_SOURCE_KEY_DUPLICATE'], '2026-01-01T00:00:00Z'),
    );
    const first = chooseRecheckKeys(entries, {}, 1, RUN);
    expect(first.keys).toEqual([key]);
    expect(JSON.stringify(first.after)).not.toContain(key);
    const second = chooseRecheckKeys(entries, first.after ? { after: first.after } : {}, 2, RUN);
    expect(second.keys).toEqual(['k2', 'k3']);
  });
});
