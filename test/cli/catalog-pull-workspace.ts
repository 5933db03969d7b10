/**
 * A demo workspace for `catalog pull`: its province target a simulator publishing the license
 * types a test gives (behind the simulator's HMAC auth, as a platform's catalog is), opened before
 * the calling file's tests and cleaned up after them, its simulators closed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { parse } from 'yaml';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import {
  createDemoWorkspace,
  DEMO_SECRET,
  type DemoWorkspace,
  demoConfigYaml,
} from '../support/demo-workspace.js';

type CatalogTypes = Record<string, unknown>[];

export interface PullWorkspace {
  /** Read inside the tests and hooks once `beforeAll` has run, as the rest. */
  readonly ws: DemoWorkspace;
  /** The text of the live catalog's one entry (`food-business-license.yaml`), as created. */
  readonly liveText: string;
  /** The simulator `publish` started, which the workspace's config reaches. */
  readonly sim: ProvinceSimulator;
  /**
   * Starts another simulator publishing `catalogTypes` and writes a config reaching it into a
   * file of its own in the workspace (`platform-<n>.yaml`); returns that file.
   */
  platform(catalogTypes: CatalogTypes): Promise<string>;
}

/**
 * The workspace (5 rows). With `publish`, the workspace's own config reaches a simulator
 * publishing what it returns, given the live entry (parsed) to build published types from.
 */
export function usePullWorkspace(publish?: (live: Record<string, unknown>) => CatalogTypes): PullWorkspace {
  let opened: { ws: DemoWorkspace; liveText: string } | undefined;
  const sims: ProvinceSimulator[] = [];
  const need = () => {
    if (!opened) throw new Error('pull workspace: not opened yet (read outside its tests)');
    return opened;
  };
  const start = async (catalogTypes: CatalogTypes, file: string): Promise<ProvinceSimulator> => {
    const sim = await startProvinceSimulator({
      auth: { appKey: 'test-app', secret: DEMO_SECRET },
      catalogTypes,
    });
    sims.push(sim);
    await writeFile(file, demoConfigYaml({ prefix: need().ws.prefix, simulatorUrl: sim.url }));
    return sim;
  };
  let own: ProvinceSimulator | undefined;
  beforeAll(async () => {
    const ws = await createDemoWorkspace({ rows: 5 });
    opened = { ws, liveText: await readFile(join(ws.dir, 'catalog', 'food-business-license.yaml'), 'utf8') };
    if (publish) own = await start(publish(parse(opened.liveText) as Record<string, unknown>), ws.configFile);
  });
  afterAll(async () => {
    for (const sim of sims) await sim.close();
    await opened?.ws.cleanup();
  });
  return {
    get ws() {
      return need().ws;
    },
    get liveText() {
      return need().liveText;
    },
    get sim() {
      if (!own) throw new Error('pull workspace: no simulator of its own (publish)');
      return own;
    },
    async platform(catalogTypes) {
      const file = join(need().ws.dir, `platform-${sims.length + 1}.yaml`);
      await start(catalogTypes, file);
      return file;
    },
  };
}
