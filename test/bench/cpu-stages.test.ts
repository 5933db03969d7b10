import { describe, expect, it } from 'vitest';
import { attributeSamples, type Profile, type ProfileNode } from '../../bench/support/cpu-stages.js';

const ROOT = 'file:///srv/licbridge/dist-bench';
const MODULES = 'file:///srv/licbridge/node_modules';

/** A profile of one stack (outermost frame first), sampled `samples` times at its leaf, 1 ms apart. */
function oneStack(frames: readonly [functionName: string, url: string][], samples = 10): Profile {
  const nodes: ProfileNode[] = frames.map(([functionName, url], i) => ({
    id: i + 1,
    callFrame: { functionName, url },
    ...(i + 1 < frames.length ? { children: [i + 2] } : {}),
  }));
  return {
    nodes,
    samples: Array.from({ length: samples }, () => frames.length),
    timeDeltas: Array.from({ length: samples }, () => 1000),
    startTime: 0,
    endTime: samples * 1000,
  };
}

describe('bench CPU by stage: the PostgreSQL statement bound (core/pg-query-bound.ts)', () => {
  it('counts a reply the ledger reads through the bound as ledger time, not other', () => {
    // A reply: the socket's data, the driver's parser, the bound's callback, knex's handling.
    const { stages } = attributeSamples(
      oneStack([
        ['(root)', ''],
        ['onStreamRead', 'node:internal/stream_base_commons'],
        ['parse', `${MODULES}/pg-protocol/dist/parser.js`],
        ['_handleReadyForQuery', `${MODULES}/pg/lib/client.js`],
        ['', `${ROOT}/core/pg-query-bound.js`],
        ['processResponse', `${MODULES}/knex/lib/dialects/postgres/index.js`],
      ]),
    );
    expect(stages).toEqual({ ledger: 10 });
  });

  it('counts a statement sent through the bound for the ledger code that sent it', () => {
    const { stages } = attributeSamples(
      oneStack([
        ['(root)', ''],
        ['commitPage', `${ROOT}/ledger/commit-page.js`],
        ['conn.query', `${ROOT}/core/pg-query-bound.js`],
        ['query', `${MODULES}/pg/lib/client.js`],
      ]),
    );
    expect(stages).toEqual({ ledger: 10 });
  });

  it('still counts licbridge code of its own in core/ as other', () => {
    const { stages } = attributeSamples(
      oneStack([
        ['(root)', ''],
        ['parseJsonText', `${ROOT}/core/json-text.js`],
      ]),
    );
    expect(stages).toEqual({ other: 10 });
  });
});
