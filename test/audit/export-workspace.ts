/**
 * What an audit export test works in, made once for a `describe`: a chain ledger of `entries`
 * entries, a local SM2 signer with a key made for the test, and a temporary folder the export is
 * written into — all closed and removed after. The signers also alone, local or of a signing
 * server, for the tests that make their own chain. And, for the `audit export` command's own
 * checks, the demo workspace's config with an `exporting` that runs the command into that workspace.
 */
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { RemoteSigner } from '../../adapters/signers/remote/remote-signer.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { exportAudit } from '../../pipelines/audit.js';
import { makeTempDir } from '../signers/helpers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { type ChainLedger, chainLedger } from './audit-chain-fixture.js';

export interface ExportSignerOptions {
  /** The private key (PEM) the export is signed with; one made for the signer when not given. */
  key?: string;
  /** @defaultValue `'1234567812345678'` (GB/T 35276's default ID) */
  distId?: string;
  /** @defaultValue `0` (signs in process) */
  workers?: number;
}

/** A local SM2 signer as a district's seal signs an export, not yet opened. */
export function localExportSigner(options: ExportSignerOptions = {}): LocalSm2Signer {
  return new LocalSm2Signer('district-seal', {
    kind: 'local-sm2',
    key: options.key ?? generateSm2KeyPair().privateKeyPem,
    sealId: '37021100000001',
    distId: options.distId ?? '1234567812345678',
    workers: options.workers ?? 0,
  });
}

/** A local SM2 signer, opened, as a district's seal signs an export. */
export async function exportSigner(options: ExportSignerOptions = {}): Promise<LocalSm2Signer> {
  const signer = localExportSigner(options);
  await signer.open();
  return signer;
}

/**
 * A signer of the signing server at `url` (its seal `seal-1`) as a city's seal signs an export,
 * not yet opened.
 */
export function remoteExportSigner(
  url: string,
  options: { distId: string; concurrency: number },
): RemoteSigner {
  return new RemoteSigner('city-seal', {
    kind: 'remote',
    url,
    sealId: 'seal-1',
    auth: { scheme: 'none' },
    distId: options.distId,
    batchSize: 10,
    concurrency: options.concurrency,
    timeoutMs: 5000,
    attempts: 2,
    backoffMs: 5,
  });
}

export interface ExportWorkspace {
  readonly chain: ChainLedger;
  readonly signer: LocalSm2Signer;
  /** The folder the export's files are written into. */
  readonly dir: string;
}

/** Makes the workspace before the enclosing `describe`'s tests and removes it after them. */
export function useExportWorkspace(entries: number): ExportWorkspace {
  let chain: ChainLedger | undefined;
  let signer: LocalSm2Signer | undefined;
  let tmp: ReturnType<typeof makeTempDir> | undefined;
  beforeAll(async () => {
    tmp = makeTempDir();
    chain = await chainLedger(entries);
    signer = await exportSigner();
  });
  afterAll(async () => {
    await signer?.close();
    await chain?.close();
    tmp?.cleanup();
  });
  const made = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('export workspace: used before its beforeAll ran');
    return value;
  };
  return {
    get chain() {
      return made(chain);
    },
    get signer() {
      return made(signer);
    },
    get dir() {
      return made(tmp).dir;
    },
  };
}

export interface ExportCommand {
  /** Runs `audit export` with these bounds, into a file of the workspace. */
  exporting(bounds: { from?: string; to?: string }): Promise<unknown>;
  /** The failure of an export whose bounds were taken: the demo workspace has no ledger yet. */
  readonly missing: string;
}

/** The demo workspace's config for the `audit export` command, made and removed around the tests. */
export function useExportCommand(): ExportCommand {
  const logger = createLogger({ level: 'silent' });
  let ws: DemoWorkspace | undefined;
  let config: Readonly<Config> | undefined;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    config = await loadConfig({ file: ws.configFile, env: {} });
  });
  afterAll(async () => {
    await ws?.cleanup();
  });
  const made = (): { ws: DemoWorkspace; config: Readonly<Config> } => {
    if (ws === undefined || config === undefined) {
      throw new Error('export command: used before its beforeAll ran');
    }
    return { ws, config };
  };
  return {
    exporting(bounds) {
      const { ws, config } = made();
      return exportAudit(config, { ...bounds, out: join(ws.dir, 'export.jsonl') }, logger);
    },
    get missing() {
      return `SQLite file ${join(made().ws.dir, 'data', 'ledger.db')} is not there`;
    },
  };
}
