// The versions `sign files`, `sign backfill` and the sign stage set aside for a corrupt stored text
// are parted by one loop and named under one cap: every one counted, the first ten of a whole run
// (over its pages) named by license id, version and what is wrong, in the order they were read.
import { describe, expect, it } from 'vitest';
import { nameStoredTexts, partByStoredText, STORED_TEXT_LISTED } from '../../pipelines/stages/sign.js';

const version = (n: number) => ({ licenseId: `L${n}`, version: 1, ok: n % 3 !== 0 });
const read = (v: ReturnType<typeof version>): { text: string } | { problem: string } =>
  v.ok ? { text: v.licenseId } : { problem: `bad ${v.licenseId}` };

describe('stored-text refusals', () => {
  it('parts versions in their order, keeping what was read of each sound one', () => {
    const kept: string[] = [];
    const { sound, corrupt } = partByStoredText([1, 2, 3, 4, 5, 6].map(version), read, (_, t) =>
      kept.push(t.text),
    );
    expect(sound.map((v) => v.licenseId)).toEqual(['L1', 'L2', 'L4', 'L5']);
    expect(kept).toEqual(['L1', 'L2', 'L4', 'L5']);
    expect(corrupt.map((c) => [c.version.licenseId, c.problem])).toEqual([
      ['L3', 'bad L3'],
      ['L6', 'bad L6'],
    ]);
  });

  it('counts every corrupt version and names the first ten of the run, page after page', () => {
    expect(STORED_TEXT_LISTED).toBe(10);
    const summary = {
      storedText: 0,
      storedTexts: [] as { licenseId: string; version: number; problem: string }[],
    };
    const page = (from: number) =>
      Array.from({ length: 7 }, (_, i) => ({
        version: { licenseId: `L${from + i}`, version: 2 },
        problem: 'p',
      }));
    expect(nameStoredTexts(summary, page(0))).toHaveLength(7);
    expect(nameStoredTexts(summary, page(7))).toHaveLength(7);
    expect(summary.storedText).toBe(14);
    expect(summary.storedTexts.map((v) => v.licenseId)).toEqual(
      Array.from({ length: 10 }, (_, i) => `L${i}`),
    );
    expect(summary.storedTexts[0]).toEqual({ licenseId: 'L0', version: 2, problem: 'p' });
  });

  it('names none more where a summary already names ten or more', () => {
    const named = (n: number) => ({ licenseId: `N${n}`, version: 1, problem: 'p' });
    const summary = { storedText: 12, storedTexts: Array.from({ length: 12 }, (_, i) => named(i)) };
    const more = Array.from({ length: 7 }, (_, i) => ({
      version: { licenseId: `L${i}`, version: 2 },
      problem: 'p',
    }));
    nameStoredTexts(summary, more);
    expect(summary.storedText).toBe(19);
    expect(summary.storedTexts).toHaveLength(12);
  });
});
