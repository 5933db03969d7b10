/**
 * licbridge's own run ids carry a prefix before their UUID (`repair-<uuid>`, `replay-<uuid>`,
 * `lifecycle-<day>-<uuid>`), and reasons stored in the ledger name them. A UUID led by seven digits
 * or more was kept whole alone (run-id-masking) but cut behind a prefix (`repair-***2161d-…`): the
 * UUID was looked for only with no dash before it. An uppercase UUID behind a prefix had a group of
 * a passport number's shape masked (`repair-********-0B3C-…`). Both are kept whole now.
 *
 * A UUID whose group holds a mobile number's eleven digits: the shape rule leaves it whole
 * (docs/troubleshooting.md), the digit rule for text from outside cuts it (docs/sync.md: a hex id is
 * kept unless a run of its digits may be a mobile number), with or without a prefix; a number joined
 * to a UUID by a dash is no part of it and is masked.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { maskNumberShapes } from '../../core/personal-shapes.js';
import { scrubPersonal } from '../../core/scrub.js';
import { storedReason } from '../../pipelines/workers/base.js';

const scrub = (text: string) => scrubPersonal(text, [], () => '***');

describe('run ids with a prefix before their UUID', () => {
  const ids = [
    'repair-8582161d-0b3c-4d2e-9f10-a1b2c3d4e5f6',
    'replay-12345678-1234-4123-8123-123456789012',
    'lifecycle-2026-12-06-8582161d-0b3c-4d2e-9f10-a1b2c3d4e5f6',
    'lifecycle-2026-12-06-rehearsal-1234567f-0b3c-4d2e-9f10-a1b2c3d4e5f6',
  ];

  it('keeps each whole in scrubbed text, an error text and a stored reason', () => {
    for (const id of ids) {
      const text = `pipeline food is being run by run ${id} (started 2026-12-05T10:00:00Z on host-a)`;
      expect(scrub(text)).toBe(text);
      expect(safeErrorText(text)).toContain(id);
      expect(safeErrorText(text, { numbers: 'shapes' })).toContain(id);
      expect(storedReason(new Error(text))).toContain(id);
    }
  });

  it('keeps an uppercase UUID behind a prefix whole, a passport-shaped group in it', () => {
    const text = 'run repair-D1234567-0B3C-4D2E-9F10-A1B2C3D4E5F6 holds the pipeline';
    expect(maskNumberShapes(text)).toBe(text);
    expect(scrub(text)).toBe(text);
    expect(safeErrorText(text)).toBe(text);
  });

  it('still masks a number a dash joins to a UUID, and a passport number beside digits', () => {
    const uuid = '8582161d-0b3c-4d2e-9f10-a1b2c3d4e5f6';
    for (const text of [
      `run ${uuid}-13800138000`,
      `run 13800138000-${uuid}`,
      `run repair-${uuid}-13800138000`,
    ]) {
      expect(maskNumberShapes(text)).not.toContain('13800138000');
      expect(scrub(text)).not.toContain('13800138000');
      expect(safeErrorText(text, { numbers: 'shapes' })).not.toContain('13800138000');
    }
    expect(maskNumberShapes('2024-D1234567')).toBe('2024-********');
    expect(maskNumberShapes('E12345678-1')).toBe('E*******8-1');
  });
});

describe("a UUID whose group holds a mobile number's digits", () => {
  for (const id of ['3f2a9c1e-4b7d-4e21-9a3c-13800138000a', 'repair-3f2a9c1e-4b7d-4e21-9a3c-13800138000a']) {
    it(`${id}: whole by shape, cut by the digit rule`, () => {
      const text = `run ${id} holds the pipeline`;
      expect(maskNumberShapes(text)).toBe(text);
      expect(safeErrorText(text, { numbers: 'shapes' })).toBe(text);
      expect(scrub(text)).toBe(text.replace('13800138000', '*******8000'));
      expect(safeErrorText(text)).not.toContain('13800138000');
    });
  }
});
