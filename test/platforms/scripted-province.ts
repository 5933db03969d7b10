/**
 * A province platform (REST/JSON) whose answers a test scripts key by key: a batch's results for
 * each key it sends, a status request's for each key it asks about. Both answers are read when a
 * request comes, so a test may change them between steps. The test closes both.
 */
import { afterAll, beforeAll } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { type Backend, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { restConfig } from './license-fixture.js';
import { type ScriptedServer, startScriptedServer } from './scripted-server.js';

export interface ScriptedProvince {
  readonly server: ScriptedServer;
  readonly province: RestJsonTarget;
}

export async function scriptedProvince(answer: {
  batch: (key: string) => unknown[];
  status: (key: string) => unknown[];
}): Promise<ScriptedProvince> {
  const server = await startScriptedServer((_n, req) => {
    const doc = JSON.parse(req.body) as { items?: { key: string }[]; keys?: string[] };
    const results = req.url.endsWith('/licenses/status')
      ? (doc.keys ?? []).flatMap((key) => answer.status(key))
      : (doc.items ?? []).flatMap(({ key }) => answer.batch(key));
    return { status: 200, body: { code: 0, results } };
  });
  const province = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000 }));
  return { server, province };
}

/** The batch answer of a platform that validates later: `submitted`, with its id. */
export const submittedWithId = (key: string): unknown[] => [
  { key, status: 'submitted', platformId: `P-${key}`, errors: [] },
];

/**
 * A ledger on `backend` and a scripted province answering each batch and each status request as the
 * test last set `batch` ({@link submittedWithId} until set) and `status`: opened before the calling
 * `describe` block's tests and closed after them. Read `ledger`, `province` and `server` inside
 * tests and hooks.
 */
export interface ReviewingProvince extends ScriptedProvince {
  readonly ledger: Ledger;
  /** The ledger database's URL: for a test's own SQL beside the ledger's connections. */
  readonly url: string;
  /** What a batch answers for each key it sends; set by each test step. */
  batch: (key: string) => unknown[];
  /** What the status request answers for each key; set by each test step. */
  status: (key: string) => unknown[];
}

export function reviewingProvince(backend: Backend): ReviewingProvince {
  let db: TestDatabase | undefined;
  let opened: (ScriptedProvince & { ledger: Ledger }) | undefined;
  const env = {
    batch: submittedWithId,
    status: (_key: string): unknown[] => [],
    get ledger(): Ledger {
      return openedOnly().ledger;
    },
    get url(): string {
      openedOnly();
      return (db as TestDatabase).url;
    },
    get province(): RestJsonTarget {
      return openedOnly().province;
    },
    get server(): ScriptedServer {
      return openedOnly().server;
    },
  };
  const openedOnly = () => {
    if (!opened) throw new Error('reviewingProvince: read inside a test or hook, once beforeAll has run');
    return opened;
  };
  beforeAll(async () => {
    db = await backend.create();
    const ledger = await openLedger(db.url, { logger: quietLogger });
    const scripted = await scriptedProvince({
      batch: (key) => env.batch(key),
      status: (key) => env.status(key),
    });
    opened = { ledger, ...scripted };
  });
  afterAll(async () => {
    await opened?.province.close();
    await opened?.server.close();
    await opened?.ledger.close();
    await db?.dispose();
  });
  return env;
}
