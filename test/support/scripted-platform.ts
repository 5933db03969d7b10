import { afterEach, beforeEach } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { restConfig } from '../platforms/license-fixture.js';
import {
  type ScriptedReply,
  type ScriptedServer,
  startScriptedServer,
} from '../platforms/scripted-server.js';

/** The platform and the REST/JSON target to it of the running test, set in `beforeEach`. */
export interface ScriptedPlatform {
  server: ScriptedServer;
  target: RestJsonTarget;
}

/**
 * A scripted platform and a REST/JSON target named `province` to it, started for each test and
 * closed after it: a wait one platform asked for holds back this process's requests to it, so no
 * two tests share one. `reply` answers request `n` (counted from 0).
 */
export function scriptedPlatformEachTest(reply: (n: number) => ScriptedReply): ScriptedPlatform {
  const platform = {} as ScriptedPlatform;
  beforeEach(async () => {
    platform.server = await startScriptedServer((n) => reply(n));
    platform.target = new RestJsonTarget('province', restConfig(platform.server.url, { timeoutMs: 2000 }));
  });
  afterEach(async () => {
    await platform.target?.close();
    await platform.server?.close();
  });
  return platform;
}
