/**
 * A run id is a UUID, and reasons stored in the ledger name one (`LB_PIPELINE_BUSY`: `… is being
 * run by run R …`; a leftover extract job's: `run R holds the pipeline`). Text is scrubbed of runs
 * of seven or more digits, and about one UUID in twenty begins with seven digits or more
 * (`8582161d-…`): it was stored as `***2161d-…`, a run no one could look up in `status`. A UUID is
 * kept whole now, as a hex identifier is; a mobile or ID number glued to one is still cut.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { scrubPersonal } from '../../core/scrub.js';
import { storedReason } from '../../pipelines/workers/base.js';

const scrub = (text: string) => scrubPersonal(text, [], () => '***');

/**
 * UUIDs whose first group is all digits, or seven digits and a letter: the ones that were cut. One
 * whose last group holds a mobile-shaped run (`…-013800138000`, about 7 in 10,000) is left out: that
 * run is cut on purpose (the next test), so it would not come back whole.
 */
function digitLedUuids(count: number): string[] {
  const out: string[] = [];
  while (out.length < count) {
    const id = randomUUID();
    if (/^[0-9]{7}/.test(id) && !/1[3-9][0-9]{9}/.test(id.slice(24))) out.push(id);
  }
  return out;
}

describe('run ids in stored reasons', () => {
  it('keeps a UUID whose groups hold runs of seven digits or more whole', () => {
    const ids = [
      ...digitLedUuids(20),
      '12345678-1234-4123-8123-123456789012',
      '8582161d-0b3c-4d2e-9f10-a1b2c3d4e5f6',
    ];
    for (const id of ids) {
      const text = `pipeline food is being run by run ${id} (started 2026-12-05T10:00:00Z on host-a)`;
      expect(scrub(text)).toBe(text);
      expect(safeErrorText(text)).toContain(id);
      expect(storedReason(new Error(text))).toContain(id);
    }
  });

  it('still cuts a mobile or ID number next to a UUID or in place of its last group', () => {
    const id = '8582161d-0b3c-4d2e-9f10-a1b2c3d4e5f6';
    expect(scrub(`run ${id} 13800138000`)).toBe(`run ${id} *******8000`);
    const mobileInGroup = '8582161d-0b3c-4d2e-9f10-013800138000';
    expect(scrub(`run ${mobileInGroup}`)).not.toContain('13800138000');
    expect(scrub(`run ${id}-110101199003071234`)).not.toContain('110101199003071234');
  });
});
