/**
 * `licbridge config check` warns of a target reached by plain http on another host, and
 * `licbridge status` lists it among the connections needing a person (exit 3); a target on
 * loopback (a simulator) is neither.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigCheckWorkspace, configCheckWorkspace } from '../cli/config-check-workspace.js';
import { quietLogger } from '../ledger/backends.js';
import { openSqliteLedger } from '../ledger/open-sqlite-ledger.js';
import { licbridge } from '../support/cli.js';
import { obliterate } from '../support/demo-workspace.js';

const PREFIX = `plain-http-status-${process.pid}`;
const FINDING =
  'target province: plain http to http://gw.province.invalid:8080: licenses, the catalog `licbridge catalog pull` reads and the credentials travel unencrypted';

describe('plain http to a remote target in config check and status', { timeout: 60_000 }, () => {
  let ws: ConfigCheckWorkspace;
  let dir: string;
  beforeAll(async () => {
    ws = await configCheckWorkspace('plainhttp');
    dir = await mkdtemp(join(tmpdir(), 'licbridge-plainhttp-status-'));
    await mkdir(join(dir, 'catalog'));
    // `status` never migrates the ledger: migrated here as a run would.
    await (await openSqliteLedger(join(dir, 'ledger.db'), { logger: quietLogger })).close();
  });
  afterAll(async () => {
    await ws?.cleanup();
    await rm(dir, { recursive: true, force: true });
    // `status` opens the queues of the prefix (their meta keys): left in the shared Redis before.
    await obliterate(PREFIX);
  });

  it('config check warns of it, naming the origin only, and passes a loopback target', async () => {
    const r0 = await licbridge(['config', 'check', ws.file], { cwd: ws.dir });
    expect(r0.status, r0.stderr).toBe(0);
    expect(r0.stderr).toBe('');
    await writeFile(
      ws.file,
      ws.config.replace('url: "http://127.0.0.1:9"', 'url: "http://ops:pw@gw.province.invalid:8080/api?k=v"'),
    );
    const r = await licbridge(['config', 'check', ws.file], { cwd: ws.dir });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: ${FINDING}`);
    expect(r.stderr).not.toContain('ops:pw');
    expect(r.stderr).not.toContain('/api');
  });

  it('status exits 3 naming it, and 0 for a loopback target', async () => {
    const config = (url: string) =>
      [
        'ledger: { url: "sqlite://./ledger.db" }',
        `queue: { redis: "redis://127.0.0.1:6379", prefix: ${PREFIX} }`,
        'catalog: ./catalog',
        'targets:',
        `  province: { kind: rest-json, url: "${url}" }`,
        '',
      ].join('\n');
    await writeFile(join(dir, 'loopback.yaml'), config('http://127.0.0.1:9'));
    await writeFile(join(dir, 'remote.yaml'), config('http://gw.province.invalid:8080/api'));
    const ok = await licbridge(['status', '--config', join(dir, 'loopback.yaml')]);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).not.toContain('plain http');
    const flagged = await licbridge(['status', '--config', join(dir, 'remote.yaml')]);
    expect(flagged.status, flagged.stdout + flagged.stderr).toBe(3);
    expect(flagged.stdout).toContain(FINDING);
  });
});
