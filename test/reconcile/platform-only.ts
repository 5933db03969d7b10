/**
 * Licenses only the platform holds, under `reconcile.unknownAtPlatform: revoke`, the setting under
 * which a repair adopts and revokes them: the demo workspace its food pipeline has run once in, and
 * the province simulator's record such a license stands as.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import type { SimulatorEntry } from '../support/simulator-edit.js';

export const PIPELINE = 'food-business-licenses';
export const logger = createLogger({ level: 'silent' });

/**
 * A demo workspace of `rows` source rows (`seed`) under `unknownAtPlatform: revoke`, its food
 * pipeline run once. The caller closes its simulator (or the one editing put in its place) and
 * cleans it up.
 */
export async function revokeUnknownWorkspace(
  rows: number,
  seed: number,
): Promise<{ ws: DemoWorkspace; config: Readonly<Config> }> {
  const ws = await createDemoWorkspace({ rows, seed });
  const yaml = await readFile(ws.configFile, 'utf8');
  await writeFile(
    ws.configFile,
    `${yaml}reconcile: { unknownAtPlatform: revoke, buckets: 64, maxRepairShare: 1 }\n`,
  );
  const config = await loadConfig({ file: ws.configFile, env: {} });
  const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
  expect(s?.state).toBe('done');
  return { ws, config };
}

/** `licenseId` with its serial, the last of its parts, replaced by `serial`. */
export function withSerial(licenseId: string, serial: string): string {
  return `${licenseId.split('.').slice(0, -1).join('.')}.${serial}`;
}

/**
 * The province's record of a license only it holds: the content of `model` (a record it holds)
 * under `licenseId`, at `version` (1 unless given), with status code `zzzt` ('01', in force, unless
 * given).
 */
export function platformOnlyEntry(
  model: SimulatorEntry,
  licenseId: string,
  at: { platformId: string; version?: number; zzzt?: string },
): SimulatorEntry {
  const version = at.version ?? 1;
  return {
    ...structuredClone(model),
    platformId: at.platformId,
    key: `${licenseId}:${version}:province`,
    licenseId,
    version,
    license: {
      ...model.license,
      zzbs: `${licenseId}.${String(version).padStart(3, '0')}.X`,
      zzzt: at.zzzt ?? '01',
    },
  } as SimulatorEntry;
}
