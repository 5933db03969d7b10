// How a delivery is cut into platform requests (adapters/platforms/shared/batches.ts), as the
// REST/JSON and SOAP/XML targets use it: chunk sizes, a failure before any answer (thrown) and
// after one (the rest named, failed as the error says), and status polls one request at a time.
import { describe, expect, it } from 'vitest';
import { failedBy, pollInBatches, sendInBatches } from '../../adapters/platforms/shared/batches.js';
import type { SubmittedDelivery } from '../../adapters/platforms/target.js';
import { ErrorCodes, type ErrorContext, LicbridgeError } from '../../core/errors.js';

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
    expect(stopped).toEqual({ unsent: [3, 4, 5], error: down, reached: 2 });
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
    expect(stopped).toEqual({ unsent: [2], error: tooLarge, reached: 1 });
  });

  it('cuts a request before the item that would pass maxBytes; an item larger than it goes alone', async () => {
    const chunks: number[][] = [];
    const cut = { maxBytes: 10, bytesOf: (n: number) => n, alone: () => {} };
    const stopped = await sendInBatches(
      [4, 6, 1, 12, 3, 3, 3, 3],
      3,
      async (c) => {
        chunks.push([...c]);
      },
      cut,
    );
    expect(stopped).toBeUndefined();
    expect(chunks).toEqual([[4, 6], [1], [12], [3, 3, 3], [3]]);
  });

  it('with a byte cut, a request refused as too large is still halved', async () => {
    const tooLarge = new LicbridgeError(ErrorCodes.TARGET_REJECTED, 'HTTP 413', {
      retryable: true,
      context: { status: 413 },
    });
    const tried: number[][] = [];
    const cut = { maxBytes: 100, bytesOf: () => 10, alone: () => {} };
    const stopped = await sendInBatches(
      Array.from({ length: 12 }, (_, i) => i + 1),
      20,
      async (c) => {
        tried.push([...c]);
        if (c.length > 5) throw tooLarge;
      },
      cut,
    );
    expect(stopped).toBeUndefined();
    expect(tried.map((c) => c.length)).toEqual([10, 5, 5, 2]);
    expect(tried.flat().filter((_, i) => i >= 10)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('an item past maxBytes refused as too large on its own, or whose body cannot be built, is its own failure; the rest go on', async () => {
    const refusedAlone: Array<[number, string]> = [];
    const cut = {
      maxBytes: 1_000,
      bytesOf: (n: number) => (n === 2 ? 2_000 : 1),
      alone: (n: number, e: LicbridgeError) => refusedAlone.push([n, e.message]),
    };
    const answered: number[] = [];
    const stopped = await sendInBatches(
      [1, 2, 3, 4, 5],
      5,
      async (c) => {
        if (c.includes(2))
          throw new LicbridgeError(ErrorCodes.TARGET_REJECTED, 'HTTP 413', { context: { status: 413 } });
        if (c.includes(4))
          throw new LicbridgeError(ErrorCodes.TARGET_REJECTED, 'body not built', {
            context: { tooLarge: true },
          });
        answered.push(...c);
      },
      cut,
    );
    expect(stopped).toBeUndefined();
    expect(answered).toEqual([1, 3, 5]);
    expect(refusedAlone).toEqual([
      [2, 'HTTP 413'],
      [4, 'body not built'],
    ]);
  });

  it('an item within maxBytes refused as too large on its own is its own retryable failure; the rest are sent', async () => {
    const tooLarge = new LicbridgeError(ErrorCodes.TARGET_REJECTED, 'HTTP 413', {
      retryable: true,
      context: { status: 413 },
    });
    const alone: Array<[number, boolean]> = [];
    const answered: number[] = [];
    const cut = {
      maxBytes: 1_000,
      bytesOf: () => 1,
      alone: (n: number, _e: LicbridgeError, fits: boolean) => alone.push([n, fits]),
    };
    const stopped = await sendInBatches(
      [1, 2, 3],
      1,
      async (c) => {
        if (c.includes(2)) throw tooLarge;
        answered.push(...c);
      },
      cut,
    );
    expect(stopped).toBeUndefined();
    expect(answered).toEqual([1, 3]);
    expect(alone).toEqual([[2, true]]);
  });

  it('after an item refused alone, the rest goes back to the largest size that passed', async () => {
    const tooLarge = new LicbridgeError(ErrorCodes.TARGET_REJECTED, 'HTTP 413', { context: { status: 413 } });
    const tried: number[][] = [];
    const cut = { maxBytes: 1_000, bytesOf: () => 1, alone: () => {} };
    const stopped = await sendInBatches(
      Array.from({ length: 16 }, (_, i) => i + 1),
      4,
      async (c) => {
        tried.push([...c]);
        if (c.includes(6)) throw tooLarge;
      },
      cut,
    );
    expect(stopped).toBeUndefined();
    expect(tried).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [5, 6],
      [5],
      [6],
      [7, 8, 9, 10],
      [11, 12, 13, 14],
      [15, 16],
    ]);
  });

  it('after an item refused alone, a request cut by maxBytes counts as passing its batch size, not its length', async () => {
    const tooLarge = new LicbridgeError(ErrorCodes.TARGET_REJECTED, 'HTTP 413', { context: { status: 413 } });
    const tried: number[][] = [];
    // 10 is a large license (three fill maxBytes), 1 a small one, 2 one the proxy refuses alone.
    const cut = { maxBytes: 30, bytesOf: (n: number) => n, alone: () => {} };
    const stopped = await sendInBatches(
      [10, 10, 10, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
      8,
      async (c) => {
        tried.push([...c]);
        if (c.includes(2)) throw tooLarge;
      },
      cut,
    );
    expect(stopped).toBeUndefined();
    // Three licenses passed only because maxBytes cut the request: the small ones after the refused
    // one go 8 a request again, not 3.
    expect(tried.map((c) => c.length)).toEqual([3, 8, 4, 2, 1, 8, 2]);
  });

  it('after an item refused alone before any request passed, the size doubles back from one up to batchSize', async () => {
    const tooLarge = new LicbridgeError(ErrorCodes.TARGET_REJECTED, 'HTTP 413', { context: { status: 413 } });
    const tried: number[] = [];
    const cut = { maxBytes: 1_000, bytesOf: () => 1, alone: () => {} };
    await sendInBatches(
      Array.from({ length: 30 }, (_, i) => i + 1),
      8,
      async (c) => {
        tried.push(c.length);
        if (c.includes(1)) throw tooLarge;
      },
      cut,
    );
    // 8, 4, 2 and 1 holding item 1 refused; then 1, 2, 4, 8, 8 and the last 6.
    expect(tried).toEqual([8, 4, 2, 1, 1, 2, 4, 8, 8, 6]);
  });

  it('a proxy refusing every request fails each item alone, retryable: one request an item besides the halvings', async () => {
    const tooLarge = new LicbridgeError(ErrorCodes.TARGET_REJECTED, 'HTTP 413', { context: { status: 413 } });
    let requests = 0;
    const alone: Array<[number, boolean]> = [];
    const cut = {
      maxBytes: 1_000,
      bytesOf: () => 1,
      alone: (n: number, _e: LicbridgeError, fits: boolean) => alone.push([n, fits]),
    };
    const stopped = await sendInBatches(
      Array.from({ length: 10 }, (_, i) => i + 1),
      8,
      async () => {
        requests++;
        throw tooLarge;
      },
      cut,
    );
    expect(stopped).toBeUndefined();
    expect(alone).toEqual(Array.from({ length: 10 }, (_, i) => [i + 1, true]));
    expect(requests).toBe(3 + 10); // 8, 4, 2, then one a license
  });

  it('an unexpected error after an answered chunk fails the items left retryably', async () => {
    const fault = new TypeError('cannot read properties of undefined (holder 13912340001)');
    const stopped = await sendInBatches(
      [1, 2, 3],
      1,
      async (c) => {
        if (c.includes(2)) throw fault;
      },
      undefined,
      { target: 'province', action: 'batch upload', to: 'https://platform.example.test:8443' },
    );
    expect(stopped?.unsent).toEqual([2, 3]);
    const error = stopped?.error as LicbridgeError;
    // The target and the request named; the fault's own text (which may quote a license) is no
    // stored reason, only the error's cause, masked when logged.
    expect(failedBy('k2', error)).toEqual({
      key: 'k2',
      state: 'failed',
      retryable: true,
      reasons: ['target province: batch upload to https://platform.example.test:8443 failed unexpectedly'],
    });
    expect(error.cause).toBe(fault);
    expect(error.context).toMatchObject({ target: 'province' });
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

  it('asks again in halves when a status request is refused as too large (413), each key once answered', async () => {
    // A service taking at most two keys a request (a WCF maxReceivedMessageSize), a status or a code 413.
    const tooLarge = (context: ErrorContext) =>
      new LicbridgeError(ErrorCodes.TARGET_REJECTED, 'target t: status request failed: HTTP 413', {
        retryable: true,
        context,
      });
    for (const context of [{ status: 413 }, { platformCode: 413 }]) {
      const asked: string[][] = [];
      const out = await pollInBatches(submitted(5), 5, async (keys) => {
        asked.push(keys);
        if (keys.length > 2) throw tooLarge(context);
        return keys.map((key) => ({ key, state: 'accepted' as const }));
      });
      expect(out.map((o) => [o.key, o.state])).toEqual(submitted(5).map((s) => [s.key, 'accepted']));
      expect(asked.filter((keys) => keys.length <= 2).flat()).toEqual(['k1', 'k2', 'k3', 'k4', 'k5']);
    }
  });

  it('a key refused as too large even alone is left unverified: the halving ends, each key asked alone once', async () => {
    // A service (or a gateway answering 200 with a code of 413) refusing every status request.
    for (const context of [{ status: 413 }, { platformCode: 413 }]) {
      const refused = new LicbridgeError(
        ErrorCodes.TARGET_REJECTED,
        'target t: status request failed: HTTP 413',
        {
          retryable: true,
          context,
        },
      );
      const asked: number[] = [];
      const out = await pollInBatches(submitted(5), 5, async (keys) => {
        asked.push(keys.length);
        throw refused;
      });
      expect(out.map((o) => [o.key, o.state, o.unverified])).toEqual(
        submitted(5).map((s) => [s.key, 'failed', true]),
      );
      expect(asked).toEqual([5, 3, 2, 1, 1, 1, 1, 1]); // the halvings, then one request a key
    }
  });
});
