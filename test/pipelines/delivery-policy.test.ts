import { describe, expect, it } from 'vitest';
import { cappedBackoff, MAX_BACKOFF_MS } from '../../pipelines/delivery-policy.js';

describe('the deliver jobs’ retry delay', () => {
  it('doubles from the base with up to half of it random', () => {
    for (let i = 0; i < 200; i++) {
      const d = cappedBackoff(3, 100);
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
    }
  });

  it('stops doubling at the default cap', () => {
    for (let i = 0; i < 200; i++) expect(cappedBackoff(40, 1000)).toBeLessThanOrEqual(MAX_BACKOFF_MS);
  });

  it('stops doubling at a target’s own maxBackoffMs', () => {
    for (let i = 0; i < 200; i++) {
      const d = cappedBackoff(40, 20, 400);
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
    }
  });
});
