import { type ScriptedReply, startScriptedServer } from '../platforms/scripted-server.js';

/**
 * A stand-in REST/JSON platform answering request `n` (from 0) with `answer(n, keys, status)`:
 * `status` says it is a status request, `keys` are the keys it asks about, or for a batch upload
 * the keys of the items it carries.
 */
export const startKeyedStandIn = (answer: (n: number, keys: string[], status: boolean) => ScriptedReply) =>
  startScriptedServer((n, req) => {
    const doc = JSON.parse(req.body) as { items?: { key: string }[]; keys?: string[] };
    const status = req.url.endsWith('/licenses/status');
    return answer(n, status ? (doc.keys ?? []) : (doc.items ?? []).map((i) => i.key), status);
  });
