// Which items of a stopped delivery went in a request (adapters/platforms/shared/batches.ts): those
// of the request that failed may have reached the platform; those after it, or of a request a wait
// held back (shared/send-pause.ts), never left, and their outcome says so (`unsent`): no attempt.
import { describe, expect, it } from 'vitest';
import { failedBy, sendInBatches } from '../../adapters/platforms/shared/batches.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';

const down = new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, 'target t: batch upload failed: HTTP 503', {
  retryable: true,
});
const held = new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, 'target t: batch upload to x not sent', {
  retryable: true,
  context: { retryAfterMs: 1000, unsent: true },
});

describe('a stopped delivery: what went and what never left', () => {
  it('names the failed request as reached and the items after it as never sent', async () => {
    const stopped = await sendInBatches([1, 2, 3, 4, 5], 2, async (c) => {
      if (c.includes(3)) throw down;
    });
    expect(stopped).toMatchObject({ unsent: [3, 4, 5], reached: 2 });
    const outcomes = (stopped?.unsent ?? []).map((n, i) =>
      failedBy(`k${n}`, down, i < (stopped?.reached ?? 0)),
    );
    expect(outcomes.map((o) => o.unsent ?? false)).toEqual([false, false, true]);
  });

  it('names none reached when a wait held the request back', async () => {
    const stopped = await sendInBatches([1, 2, 3], 1, async (c) => {
      if (c.includes(2)) throw held;
    });
    expect(stopped).toMatchObject({ unsent: [2, 3], reached: 0 });
    expect(failedBy('k2', held)).toMatchObject({ state: 'failed', retryable: true, unsent: true });
  });
});
