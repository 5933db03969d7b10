// How a delivery is cut into platform requests (adapters/platforms/shared/batches.ts), as the
// REST/JSON and SOAP/XML targets use it: chunk sizes, a failure before any answer (thrown) and
// after one (the rest named, failed as the error says), and status polls one request at a time.
import { describe, expect, it } from 'vitest';
import { failedBy, pollInBatches, sendInBatches } from '../../adapters/platforms/shared/batches.js';
import type { SubmittedDelivery } from '../../adapters/platforms/target.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';

const down = new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, 'target t: batch upload failed: HTTP 503', {
  retryable: true,
});
const submitted = (n: number): SubmittedDelivery[] =>
  Array.from({ length: n }, (_, i) => ({ key: `k${i + 1}`, platformId: null, receipt: null }));

describe('sendInBatches', () => {
  it('sends in order, batchSize at a time, the last chunk shorter', async () => {
    const chunks: number[][] = [];
    const stopped = await sendInBatches([1, 2, 3, 4, 5], 2, async (c) => {
      chunks.push([...c]);
    });
    expect(chunks).toEqual([[1, 2], [3, 4], [5]]);
    expect(stopped).toBeUndefined();
  });

  it('takes a batch size below one as one item a request', async () => {
    const chunks: number[][] = [];
    await sendInBatches([1, 2], 0, async (c) => {
      chunks.push([...c]);
    });
    expect(chunks).toEqual([[1], [2]]);
  });

  it('throws a failure before any chunk was answered, sending nothing after it', async () => {
    let calls = 0;
    await expect(
      sendInBatches([1, 2, 3], 1, async () => {
        calls++;
        throw down;
      }),
    ).rejects.toBe(down);
    expect(calls).toBe(1);
  });

  it('after one answered chunk, stops at the failing one and names the items left', async () => {
    const sent: number[] = [];
    const stopped = await sendInBatches([1, 2, 3, 4, 5], 2, async (c) => {
      if (c.includes(3)) throw down;
      sent.push(...c);
    });
    expect(sent).toEqual([1, 2]);
    expect(stopped).toEqual({ unsent: [3, 4, 5], error: down });
  });

  it('halves a request refused as too large (HTTP 413) and keeps the smaller size for the rest', async () => {
    const tooLarge = new LicbridgeError(
      ErrorCodes.TARGET_REJECTED,
      'target t: batch upload failed: HTTP 413',
      {
        retryable: true,
        context: { status: 413 },
      },
    );
    const tried: number[][] = [];
    const answered: number[] = [];
    const stopped = await sendInBatches([1, 2, 3, 4, 5, 6, 7], 4, async (c) => {
      tried.push([...c]);
      if (c.length > 2) throw tooLarge;
      answered.push(...c);
    });
    expect(stopped).toBeUndefined();
    expect(answered).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(tried).toEqual([[1, 2, 3, 4], [1, 2], [3, 4], [5, 6], [7]]);
  });

  it('a single item refused as too large fails as before', async () => {
    const tooLarge = new LicbridgeError(ErrorCodes.TARGET_REJECTED, 'HTTP 413', {
      retryable: true,
      context: { status: 413 },
    });
    const stopped = await sendInBatches([1, 2], 2, async (c) => {
      if (c.includes(2)) throw tooLarge;
    });
    expect(stopped).toEqual({ unsent: [2], error: tooLarge });
  });

  it('failedBy: the error message as the reason, retryable as the error says', () => {
    expect(failedBy('k1', down)).toEqual({
      key: 'k1',
      state: 'failed',
      retryable: true,
      reasons: ['target t: batch upload failed: HTTP 503'],
    });
    const refused = new LicbridgeError(ErrorCodes.TARGET_REJECTED, 'refused');
    expect(failedBy('k2', refused).retryable).toBe(false);
  });
});

describe('pollInBatches', () => {
  it('asks batchSize keys a request and keeps the answers in order', async () => {
    const asked: string[][] = [];
    const out = await pollInBatches(submitted(3), 2, async (keys) => {
      asked.push(keys);
      return keys.map((key) => ({ key, state: 'accepted' as const }));
    });
    expect(asked).toEqual([['k1', 'k2'], ['k3']]);
    expect(out.map((o) => [o.key, o.state])).toEqual([
      ['k1', 'accepted'],
      ['k2', 'accepted'],
      ['k3', 'accepted'],
    ]);
  });

  it('leaves the keys of a failed request unverified and still asks for the others', async () => {
    const out = await pollInBatches(submitted(3), 1, async (keys) => {
      if (keys[0] === 'k2') throw down;
      return keys.map((key) => ({ key, state: 'accepted' as const }));
    });
    expect(out).toEqual([
      { key: 'k1', state: 'accepted' },
      {
        key: 'k2',
        state: 'failed',
        retryable: true,
        unverified: true,
        reasons: ['target t: batch upload failed: HTTP 503'],
      },
      { key: 'k3', state: 'accepted' },
    ]);
  });
});
