/**
 * A province platform (REST/JSON) whose answers a test scripts key by key: a batch's results for
 * each key it sends, a status request's for each key it asks about. Both answers are read when a
 * request comes, so a test may change them between steps. The test closes both.
 */
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
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
