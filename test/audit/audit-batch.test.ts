import { describe, expect, it } from 'vitest';
import { jcsReference } from '../../catalog/canonical.js';
import { sm3Hex } from '../../catalog/sm3.js';
import {
  actCount,
  batchDigest,
  batchEntries,
  parseVersionRanges,
  versionIdsOf,
  versionRanges,
} from '../../ledger/audit-batch.js';

describe('version-id ranges of a batch entry', () => {
  it.each([
    [[], ''],
    [[7], '7'],
    [[1, 2, 3, 5, 7, 8], '1-3,5,7-8'],
    [[4, 5, 5, 6], '4-5,5-6'],
    [[10, 12, 14], '10,12,14'],
  ])('%j reads back from %s', (ids, text) => {
    expect(versionRanges(ids)).toBe(text);
    expect(parseVersionRanges(text)).toEqual(ids);
  });

  it.each(['1-', 'a', '5-3', '1,,2', ' 1'])('refuses %j, which it never writes', (text) => {
    expect(() => parseVersionRanges(text)).toThrow(/audit/);
  });

  it.each([
    ['a range past the bound', '1-300000', 1000],
    ['more ids than the bound in all', '1-600,1-600', 1000],
  ])('refuses %s before expanding it', (_, text, most) => {
    expect(() => parseVersionRanges(text, most)).toThrow(/^audit: .*1000/);
    expect(parseVersionRanges('1-600,900-1000', 1000)).toHaveLength(701);
  });

  it('bounds a list with no ledger to bound it', () => {
    expect(versionIdsOf({ detail: JSON.stringify({ versions: '10000000', count: 1 }) })).toEqual([
      10_000_000,
    ]);
    expect(() => versionIdsOf({ detail: JSON.stringify({ versions: '10000001', count: 1 }) })).toThrow(
      /past 10000000/,
    );
  });
});

describe('batchEntries', () => {
  const act = (versionId: number, action: 'issue' | 'revoke', digest = `h${versionId}`) => ({
    versionId,
    tuple: [`L${versionId}`, 1, digest],
    single: {
      action,
      actor: 'pipeline:p',
      licenseId: `L${versionId}`,
      version: 1,
      digest,
      detail: { runId: 'r', versionId },
    },
  });

  it('writes an act alone as its own entry and a group as one entry binding each act', () => {
    const entries = batchEntries(
      [act(3, 'issue'), act(4, 'revoke'), act(1, 'issue'), act(2, 'issue')],
      () => ({
        runId: 'r',
      }),
    );
    expect(entries.map((e) => e.action)).toEqual(['issue', 'revoke']);
    const [batch, alone] = entries;
    expect(alone).toEqual(act(4, 'revoke').single);
    expect(batch).toMatchObject({
      licenseId: null,
      version: null,
      detail: { runId: 'r', versions: '1-3', count: 3 },
    });
    const stored = { detail: JSON.stringify(batch?.detail) };
    expect(versionIdsOf(stored)).toEqual([1, 2, 3]);
    expect(actCount(stored)).toBe(3);
    expect(actCount({ detail: JSON.stringify(alone?.detail) })).toBe(1);
    expect(versionIdsOf({ detail: JSON.stringify(alone?.detail) })).toEqual([4]);
  });

  it('changes the digest when any act changes, whatever the order acts came in', () => {
    const digest = (acts: ReturnType<typeof act>[]) => batchEntries(acts)[0]?.digest;
    const base = digest([act(1, 'issue'), act(2, 'issue')]);
    expect(digest([act(2, 'issue'), act(1, 'issue')])).toBe(base);
    expect(digest([act(1, 'issue'), act(2, 'issue', 'other')])).not.toBe(base);
    expect(digest([act(1, 'issue'), act(3, 'issue')])).not.toBe(base);
  });

  it('digests the JCS text of the tuples, whatever values they hold', () => {
    const reference = (acts: { versionId: number; tuple: readonly unknown[] }[]) =>
      sm3Hex(jcsReference(acts.map((a) => [a.versionId, ...a.tuple])) as string);
    const usual = [
      { versionId: 1, tuple: ['L1', 1, 'h1'] },
      { versionId: 2, tuple: ['标准"\\\u0001\u2028', -0, null] },
      { versionId: 3, tuple: [1e21, 0.1, 'x'] },
    ];
    expect(batchDigest(usual)).toBe(reference(usual));
    // A value JSON and JCS write differently goes through JCS: a member order, a refusal.
    const odd = [{ versionId: 1, tuple: [{ b: 1, a: 2 } as unknown as string] }];
    expect(batchDigest(odd)).toBe(reference(odd));
    expect(() => batchDigest([{ versionId: 1, tuple: [Number.NaN] }])).toThrow(/NaN/);
  });

  it('groups acts by the JCS of their shared detail, whatever order its members were built in', () => {
    const details = [
      { runId: 'r', state: 'accepted' },
      { state: 'accepted', runId: 'r' },
      { runId: 'r', state: 'accepted' },
      { runId: 'r', state: null },
      { state: null, runId: 'r' },
    ];
    const entries = batchEntries(
      details.map((_, i) => act(i + 1, 'issue')),
      (a) => details[a.versionId - 1] as Record<string, string | null>,
    );
    expect(entries.map((e) => e.detail)).toEqual([
      { runId: 'r', state: 'accepted', versions: '1-3', count: 3 },
      { runId: 'r', state: null, versions: '4-5', count: 2 },
    ]);
    // JSON writes NaN as null; JCS refuses it, in a group's key too.
    expect(() => batchEntries([act(1, 'issue'), act(2, 'issue')], () => ({ n: Number.NaN }))).toThrow(/NaN/);
  });

  it('keeps acts apart whose detail or actor differs from the act just before, however alike', () => {
    const details: Record<string, unknown>[] = [
      { runId: 'r', n: 1 },
      { runId: 'r', n: 1 },
      { runId: 'r', n: '1' },
      { runId: 'r', n: 1, more: true },
      { runId: 'r', n: 1 },
      { runId: 'r', n: true },
      { runId: 'r', n: 1 },
    ];
    const acts = details.map((_, i) => act(i + 1, 'issue'));
    const other = act(8, 'issue');
    const entries = batchEntries(
      [...acts, { ...other, single: { ...other.single, actor: 'pipeline:q' } }, act(9, 'issue')],
      (a) => (details[a.versionId - 1] ?? { runId: 'r', n: 1 }) as Record<string, string | number | null>,
    );
    // A group of one is written as its act's own entry.
    expect(entries.map((e) => [e.actor, e.detail?.versions ?? e.detail?.versionId])).toEqual([
      ['pipeline:p', '1-2,5,7,9'],
      ['pipeline:p', 3],
      ['pipeline:p', 4],
      ['pipeline:p', 6],
      ['pipeline:q', 8],
    ]);
    expect(entries[0]?.detail).toEqual({ runId: 'r', n: 1, versions: '1-2,5,7,9', count: 5 });
    // A value JCS refuses after acts it took: refused still.
    expect(() =>
      batchEntries([act(1, 'issue'), act(2, 'issue')], (a) => ({ n: a.versionId === 1 ? 1 : Number.NaN })),
    ).toThrow(/NaN/);
  });
});
