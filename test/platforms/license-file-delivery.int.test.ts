// Sealed license files delivered to a rest-json target that takes them (`licenseFiles.send`):
// the province simulator receives exactly one valid OFD per version that has one, with the SM3
// the ledger recorded, as base64 in the item or as a multipart part; a file over the target's
// limit or changed in the store is a dead letter naming it and is never sent; the default sends
// no file; `whenMissing: wait` holds a version until its file is issued.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import type { RestJsonTargetConfig } from '../../adapters/platforms/rest-json/config.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { isLicbridgeError } from '../../core/errors.js';
import type { StoredLicenseFile } from '../../ledger/license-files.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { configuredFileStore } from '../../pipelines/stages/deliver-files.js';
import { type FileWorkspace, fileWorkspace, SEAL_ID } from './license-file-workspace.js';
import { restConfig } from './license-fixture.js';

const COUNT = 4;
const WITH_FILES = 3;

describe('license files delivered to a rest-json target', () => {
  let ws: FileWorkspace;
  let files: StoredLicenseFile[];
  /** License id of each version id. */
  let licenseOf: Map<number, string>;
  /** The license whose version has no file. */
  let withoutFile: string;
  const open: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    ws = await fileWorkspace(COUNT, WITH_FILES);
    files = await ws.ledger.licenseFiles.list({});
    licenseOf = new Map((await ws.ledger.getVersions(ws.versionIds)).map((v) => [v.versionId, v.licenseId]));
    withoutFile = licenseOf.get(ws.versionIds[COUNT - 1] as number) as string;
  });
  afterAll(async () => {
    for (const o of open.reverse()) await o.close();
    await ws?.close();
  });

  /** A fresh simulator and a target named `name` on it. */
  async function platform(
    name: string,
    licenseFiles: RestJsonTargetConfig['licenseFiles'] | undefined,
    options: { auth?: boolean } = {},
  ): Promise<{ sim: ProvinceSimulator; target: RestJsonTarget }> {
    const credentials = { appKey: 'lb-app', secret: 's3cret-for-tests' };
    const sim = await startProvinceSimulator(options.auth ? { auth: credentials } : {});
    const target = new RestJsonTarget(
      name,
      restConfig(sim.url, {
        ...(licenseFiles ? { licenseFiles } : {}),
        ...(options.auth ? { auth: { scheme: 'hmac', ...credentials } } : {}),
      }),
    );
    open.push(sim, target);
    return { sim, target };
  }

  /** The file the simulator holds for each version, by version id (each version received once). */
  function received(sim: ProvinceSimulator, target: string): Map<number, Buffer | undefined> {
    const out = new Map<number, Buffer | undefined>();
    for (const versionId of ws.versionIds) {
      const entries = sim.licenses().filter((l) => l.licenseId === licenseOf.get(versionId));
      expect(entries, `version ${versionId} received once`).toHaveLength(1);
      expect(entries[0]?.target).toBe(target);
      out.set(versionId, sim.file(entries[0]?.key ?? ''));
    }
    return out;
  }

  /** Every version with a file got exactly that file (SM3 and size the ledger's, a sealed OFD that verifies); the rest none. */
  function expectOneFilePerVersion(sim: ProvinceSimulator, target: string): void {
    expect(sim.licenses()).toHaveLength(COUNT);
    expect(sim.stats().files).toBe(WITH_FILES);
    const got = received(sim, target);
    const byVersion = new Map(files.map((f) => [f.versionId, f]));
    for (const versionId of ws.versionIds) {
      const recorded = byVersion.get(versionId);
      const bytes = got.get(versionId);
      if (!recorded) {
        expect(bytes, `version ${versionId} has no file`).toBeUndefined();
        continue;
      }
      expect(bytes).toBeDefined();
      expect(bytes?.length).toBe(recorded.size);
      expect(bytes?.equals(readFileSync(join(ws.store, recorded.path)))).toBe(true);
      expect(verifyOfd(bytes as Buffer, ws.kit.trust).ok).toBe(true);
    }
    for (const entry of sim.licenses().filter((l) => l.file)) {
      const f = files.find((x) => x.licenseId === entry.licenseId);
      expect(entry.file?.sm3).toBe(f?.sm3);
    }
  }

  it('has issued files for some versions and not for the last', () => {
    expect(files.map((f) => f.versionId)).toEqual(ws.versionIds.slice(0, WITH_FILES));
  });

  it('sends each file as base64 in its item; the version without a file goes without one', async () => {
    const { sim, target } = await platform('prov-b64', { send: 'base64' });
    // The store as a worker finds it: `licenseFiles.store` of the config.
    const fileStore = configuredFileStore(ws.config);
    expect(fileStore).toBe(ws.store);
    const r = await deliverVersions(target, SEAL_ID, ws.ledger, ws.versionIds, { fileStore });
    expect(r).toMatchObject({ accepted: COUNT, dead: 0, waiting: 0 });
    expectOneFilePerVersion(sim, 'prov-b64');
    expect(
      sim
        .licenses()
        .filter((l) => l.file)
        .every((l) => l.file?.via === 'base64'),
    ).toBe(true);
    // The observer's endpoint hands back the same bytes.
    const entry = sim.licenses().find((l) => l.file) as { key: string };
    const res = await fetch(`${sim.url}/_sim/files/${encodeURIComponent(entry.key)}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(sim.file(entry.key) as Buffer)).toBe(true);
  });

  it('sends each file as a multipart part, signed with HMAC over the whole form', async () => {
    const { sim, target } = await platform('prov-form', { send: 'multipart' }, { auth: true });
    const r = await deliverVersions(target, SEAL_ID, ws.ledger, ws.versionIds, { fileStore: ws.store });
    expect(r).toMatchObject({ accepted: COUNT, dead: 0 });
    expectOneFilePerVersion(sim, 'prov-form');
    expect(
      sim
        .licenses()
        .filter((l) => l.file)
        .every((l) => l.file?.via === 'multipart'),
    ).toBe(true);
  });

  it('sends no file when the target does not ask for files (the default)', async () => {
    const { sim, target } = await platform('prov-off', undefined);
    expect(target.licenseFiles).toBeUndefined();
    const r = await deliverVersions(target, SEAL_ID, ws.ledger, ws.versionIds, { fileStore: ws.store });
    expect(r).toMatchObject({ accepted: COUNT, dead: 0 });
    expect(sim.licenses()).toHaveLength(COUNT);
    expect(sim.licenses().every((l) => l.file === undefined)).toBe(true);
    expect(sim.stats().files ?? 0).toBe(0);
  });

  it('dead-letters a version whose file is over the limit, naming target, version and size; nothing of it is sent', async () => {
    const limit = Math.min(...files.map((f) => f.size)) - 1;
    const { sim, target } = await platform('prov-small', { send: 'base64', maxBytes: limit });
    const r = await deliverVersions(target, SEAL_ID, ws.ledger, ws.versionIds, { fileStore: ws.store });
    expect(r).toMatchObject({ accepted: COUNT - WITH_FILES, dead: WITH_FILES });
    // Only the version without a file reached the platform.
    expect(sim.licenses().map((l) => l.licenseId)).toEqual([withoutFile]);
    const dead = await ws.ledger.listDeadLetters({ target: 'prov-small' });
    expect(dead).toHaveLength(WITH_FILES);
    for (const f of files) {
      const d = dead.find((x) => x.licenseId === f.licenseId);
      const reason = d?.reasons.join(' ') ?? '';
      expect(reason).toContain(`license file ${f.path} of ${f.licenseId} version ${f.version}`);
      expect(reason).toContain(`${f.size} bytes, over target prov-small's limit of ${limit}`);
    }

    // The way out the dead letter names: raise the limit, replay; each goes with its file.
    const raised = new RestJsonTarget(
      'prov-small',
      restConfig(sim.url, { licenseFiles: { send: 'base64', maxBytes: limit * 2 } }),
    );
    open.push(raised);
    await ws.ledger.replayDeadLetters(dead.map((d) => d.key));
    const again = await deliverVersions(raised, SEAL_ID, ws.ledger, ws.versionIds, { fileStore: ws.store });
    expect(again).toMatchObject({ accepted: WITH_FILES, dead: 0 });
    expectOneFilePerVersion(sim, 'prov-small');
  });

  it('dead-letters a version whose stored file is not the one the ledger recorded, naming the file', async () => {
    // A copy of the store with one file changed by a byte: the others still go.
    const tampered = join(ws.dir, 'tampered-store');
    cpSync(ws.store, tampered, { recursive: true });
    const victim = files[1] as StoredLicenseFile;
    const bytes = readFileSync(join(tampered, victim.path));
    bytes[bytes.length - 30] = (bytes[bytes.length - 30] as number) ^ 0x01;
    writeFileSync(join(tampered, victim.path), bytes);

    const { sim, target } = await platform('prov-tamper', { send: 'multipart' });
    const r = await deliverVersions(target, SEAL_ID, ws.ledger, ws.versionIds, { fileStore: tampered });
    expect(r).toMatchObject({ accepted: COUNT - 1, dead: 1 });
    expect(sim.licenses().some((l) => l.licenseId === victim.licenseId)).toBe(false);
    expect(sim.stats().files).toBe(WITH_FILES - 1);
    const [dead] = await ws.ledger.listDeadLetters({ target: 'prov-tamper' });
    expect(dead?.licenseId).toBe(victim.licenseId);
    expect(dead?.reasons.join(' ')).toContain(
      `license file ${victim.path} of ${victim.licenseId} version ${victim.version}: the stored file is not the one the ledger recorded`,
    );
    expect(dead?.reasons.join(' ')).toContain(victim.sm3);
  });

  it('refuses to deliver files without a configured store, saying which setting is missing', async () => {
    const { sim, target } = await platform('prov-nostore', { send: 'base64' });
    const failure = await deliverVersions(target, SEAL_ID, ws.ledger, ws.versionIds).catch((e: unknown) => e);
    expect(isLicbridgeError(failure) && failure.retryable === false).toBe(true);
    expect((failure as Error).message).toContain('target prov-nostore takes license files');
    expect((failure as Error).message).toContain('licenseFiles.store');
    expect(sim.licenses()).toHaveLength(0);
  });

  // Last: it issues the missing file, which the tests above count on not existing.
  it('holds a version without a file when the target waits for files, and sends it with its file once issued', async () => {
    const { sim, target } = await platform('prov-wait', { send: 'base64', whenMissing: 'wait' });
    const first = await deliverVersions(target, SEAL_ID, ws.ledger, ws.versionIds, { fileStore: ws.store });
    expect(first).toMatchObject({ accepted: WITH_FILES, waiting: 1, dead: 0 });
    expect(sim.licenses().map((l) => l.licenseId)).not.toContain(withoutFile);

    expect(await ws.issue()).toBe(1);
    const second = await deliverVersions(target, SEAL_ID, ws.ledger, ws.versionIds, { fileStore: ws.store });
    expect(second).toMatchObject({ accepted: 1, skipped: WITH_FILES, waiting: 0 });
    const late = sim.licenses().find((l) => l.licenseId === withoutFile);
    const [issued] = (await ws.ledger.licenseFiles.list({})).filter((f) => f.licenseId === withoutFile);
    expect(late?.file?.sm3).toBe(issued?.sm3);
    expect(sim.stats().files).toBe(COUNT);
  });
});
