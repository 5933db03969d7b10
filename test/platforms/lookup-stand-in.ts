/**
 * A REST/JSON target in front of a stand-in platform whose every answer a test scripts, for the
 * lookup and listing tests: `restTargetAnswering` opens both, and the calling file closes them
 * after each of its tests.
 */
import { afterEach } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { PlatformRecord } from '../../adapters/platforms/target.js';
import { restConfig } from './license-fixture.js';
import { type ScriptedReply, type SeenRequest, startScriptedServer } from './scripted-server.js';

export interface ScriptedRestTarget {
  target: RestJsonTarget;
  /** The requests the stand-in platform has seen. */
  seen: SeenRequest[];
}

/**
 * Opens a target (`province`, 2 s timeout) in front of a stand-in answering request `n` (from 1)
 * with `script(n, req)`. Call at the top of a test file: it registers the file's `afterEach`.
 */
export function restTargetAnswering(): (
  script: (n: number, req: SeenRequest) => ScriptedReply,
) => Promise<ScriptedRestTarget> {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });
  return async (script) => {
    const server = await startScriptedServer(script);
    closers.push(() => server.close());
    const target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000 }));
    closers.push(() => target.close());
    return { target, seen: server.seen };
  };
}

/** Every record a listing in chunks of `chunkSize` gives. */
export async function listAll(target: RestJsonTarget, chunkSize = 10): Promise<PlatformRecord[]> {
  const out: PlatformRecord[] = [];
  for await (const page of target.list({ chunkSize })) out.push(...page);
  return out;
}
