/**
 * SQLite keeps any value in any column: someone with write access to the ledger file can leave a
 * time that is no time, a version that is no integer or bytes for text in an entry. Verify must
 * name that entry as altered, as it names any other, and export must refuse it by its seq; neither
 * may fail on the whole read with a parse error naming no entry.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { writeAuditExport } from '../../pipelines/audit-export-write.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { makeTempDir } from '../signers/helpers.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { type ChainLedger, chainLedger } from './audit-chain-fixture.js';
import { exportSigner } from './export-workspace.js';
import { verifyTamperedCopy } from './tampered-copy.js';

const logger = createLogger({ level: 'silent' });

describe('audit entries holding values no writer writes', () => {
  let chain: ChainLedger;
  let file: string;

  beforeAll(async () => {
    chain = await chainLedger(30);
    file = chain.database.url.slice('sqlite://'.length);
  });
  afterAll(async () => {
    await chain?.close();
  });

  it.each([
    ['a time that is no time', `update audit_log set at = 'yesterday' where seq = 12`, 'at'],
    // Date reads each of these as a time (1970 or 2001, a number of ms, a day's midnight, a local
    // time): the entry was read and shown as of that time. Its writer stores the ISO text it hashed.
    ['a time that is one digit', `update audit_log set at = '1' where seq = 12`, 'at'],
    ['a time that is a number', `update audit_log set at = 1764756000000 where seq = 12`, 'at'],
    ['a time that is a day alone', `update audit_log set at = '2026-12-03' where seq = 12`, 'at'],
    ['a time in words', `update audit_log set at = 'Dec 3 2026 10:00' where seq = 12`, 'at'],
    ['a version that is text', `update audit_log set version = 'one' where seq = 12`, 'version'],
    ['a version that is no integer', `update audit_log set version = 1.5 where seq = 12`, 'version'],
    // Number() reads each of these as an integer (0, 0, 16): the entry was read as of that version.
    ['an empty version', `update audit_log set version = '' where seq = 12`, 'version'],
    ['a blank version', `update audit_log set version = '  ' where seq = 12`, 'version'],
    ['a version in hexadecimal', `update audit_log set version = '0x10' where seq = 12`, 'version'],
    ['bytes for an actor', `update audit_log set actor = x'00ff' where seq = 12`, 'actor'],
  ])('verify names the entry holding %s as altered', async (_, sql, column) => {
    const r = await verifyTamperedCopy(file, 7, (db) => db.prepare(sql).run());
    expect(r).toMatchObject({ ok: false, entries: 11, firstBad: { seq: 12, kind: 'altered' } });
    expect(r.ok ? '' : r.firstBad.message).toContain(
      `its ${column} holds a value no licbridge writer writes`,
    );
  });

  it('verify names an earlier deleted entry first, on the same page', async () => {
    const r = await verifyTamperedCopy(file, 50, (db) => {
      db.prepare('delete from audit_log where seq = 5').run();
      db.prepare(`update audit_log set at = 'yesterday' where seq = 12`).run();
    });
    expect(r).toMatchObject({ ok: false, firstBad: { seq: 5, kind: 'missing' } });
  });

  it('verify names a head that holds no sequence number', async () => {
    const r = await verifyTamperedCopy(file, 7, (db) =>
      db.prepare(`update audit_head set seq = 'thirty' where id = 1`).run(),
    );
    expect(r).toMatchObject({ ok: false, firstBad: { seq: 1, kind: 'head-mismatch' } });
  });

  it('export refuses the entry by its seq, and writes nothing', async () => {
    const tmp = makeTempDir();
    const signer = await exportSigner();
    const db = new Database(file);
    try {
      db.prepare(`update audit_log set at = 'yesterday' where seq = 12`).run();
      const out = join(tmp.dir, 'whole.jsonl');
      await expect(writeAuditExport(chain.ledger, signer, {}, { out, pageSize: 7 })).rejects.toThrow(
        'entry 12 was altered: its at holds a value no licbridge writer writes',
      );
      expect(await readdir(tmp.dir)).toEqual([]);
      // The entry still reads, its value as the text it holds.
      const [entry] = await chain.ledger.readAudit({ afterSeq: 11, limit: 1 });
      expect(entry).toMatchObject({ seq: 12, at: 'yesterday', malformed: ['at'] });
    } finally {
      db.close();
      await signer.close();
      tmp.cleanup();
    }
  });
});

describe('licbridge audit on a demo ledger whose entries hold values no writer writes', () => {
  let ws: DemoWorkspace;
  let ledgerFile: string;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: ['food-business-licenses'], full: false, logger });
    expect(s?.state).toBe('done');
    ledgerFile = join(ws.dir, 'data', 'ledger.db');
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('verify names a version row at id 0: the chain intact, the version unrecorded', async () => {
    const db = new Database(ledgerFile);
    let licenseId: string;
    try {
      const row = db.prepare('select * from license_versions order by version_id limit 1').get() as Record<
        string,
        unknown
      >;
      licenseId = row.license_id as string;
      // An id no sequence hands out, below the first: the walk of ids from 1 on never met it.
      const forged = {
        ...row,
        version_id: 0,
        version: 2,
        identifier: `${licenseId}.002.F`,
        content_hash: 'hash:forged',
      };
      const columns = Object.keys(forged);
      db.prepare(
        `insert into license_versions (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
      ).run(forged);
    } finally {
      db.close();
    }
    try {
      const verify = await licbridge(['audit', 'verify', '--config', ws.configFile]);
      expect(verify.status, verify.stderr).toBe(1);
      expect(verify.stdout).toMatch(
        /^audit: the chain's \d+ entries follow each other, but the ledger holds 1 version\(s\) that no entry of the chain records: /,
      );
      expect(verify.stdout).toContain(
        `license ${licenseId} version 2 (version id 0; the nearest entry recording a version is `,
      );
      expect(verify.stdout).not.toContain('chain broken');
    } finally {
      const restore = new Database(ledgerFile);
      restore.prepare('delete from license_versions where version_id = 0').run();
      restore.close();
    }
  });

  it('show marks an entry whose version is empty as damaged, by its seq', async () => {
    const db = new Database(ledgerFile);
    let licenseId: string;
    let seq: number;
    try {
      licenseId = (
        db.prepare('select license_id from license_versions limit 1').get() as { license_id: string }
      ).license_id;
      seq = (
        db
          .prepare(`select min(seq) as seq from audit_log where action = 'issue' and license_id is null`)
          .get() as { seq: number }
      ).seq;
      // Read as version 0 before: nothing on the line told the reader the entry was damaged.
      db.prepare(`update audit_log set version = '' where seq = ?`).run(seq);
    } finally {
      db.close();
    }
    try {
      const show = await licbridge(['audit', 'show', '--license', licenseId, '--config', ws.configFile]);
      expect(show.status, show.stderr).toBe(0);
      const line = show.stdout.split('\n').find((l) => l.startsWith(`${seq}  `));
      expect(line).toContain(
        'damaged: its version holds a value no licbridge writer writes; run `licbridge audit verify`',
      );
      const json = await licbridge([
        'audit',
        'show',
        '--license',
        licenseId,
        '--json',
        '--config',
        ws.configFile,
      ]);
      const entry = json.stdout
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { seq: number })
        .find((e) => e.seq === seq);
      expect(entry).toMatchObject({ seq, version: null, malformed: ['version'] });
    } finally {
      const restore = new Database(ledgerFile);
      restore.prepare('update audit_log set version = null where seq = ?').run(seq);
      restore.close();
    }
  });

  it('verify exits 1 naming the entry; show prints it, nothing a terminal obeys in it', async () => {
    const db = new Database(ledgerFile);
    let licenseId: string;
    try {
      licenseId = (
        db.prepare('select license_id from license_versions limit 1').get() as { license_id: string }
      ).license_id;
      // A time that erases the line before: each entry's time is now text a terminal would obey.
      db.prepare('update audit_log set at = ?').run('\u001b[1A\u001b[2K2026-01-01');
    } finally {
      db.close();
    }
    const cli = (...args: string[]) => licbridge([...args, '--config', ws.configFile]);
    const verify = await cli('audit', 'verify', '--json');
    expect(verify.status, verify.stderr).toBe(1);
    expect(JSON.parse(verify.stdout)).toMatchObject({
      ok: false,
      firstBad: {
        seq: 1,
        kind: 'altered',
        message: 'entry 1 was altered: its at holds a value no licbridge writer writes',
      },
    });
    const show = await cli('audit', 'show', '--license', licenseId);
    expect(show.status, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/^\d+ {2}.*2026-01-01 {2}issue/m);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
    expect(show.stdout).not.toMatch(/\u001b/);
  });

  it('show names an entry whose detail or version list no writer wrote, quoting neither', async () => {
    const db = new Database(ledgerFile);
    let licenseId: string;
    let seq: number;
    try {
      licenseId = (
        db.prepare('select license_id from license_versions limit 1').get() as { license_id: string }
      ).license_id;
      seq = (
        db
          .prepare(`select min(seq) as seq from audit_log where action = 'issue' and license_id is null`)
          .get() as {
          seq: number;
        }
      ).seq;
      db.prepare('update audit_log set detail = ? where seq = ?').run('{"versions":"1-2,秘密"}', seq);
    } finally {
      db.close();
    }
    const show = await licbridge(['audit', 'show', '--license', licenseId, '--config', ws.configFile]);
    expect(show.status).not.toBe(0);
    expect(show.stderr).toContain(`audit: entry ${seq} cannot be read`);
    expect(show.stderr).toContain('licbridge audit verify');
    expect(show.stderr).not.toContain('秘密');
    const db2 = new Database(ledgerFile);
    try {
      db2.prepare('update audit_log set detail = ? where seq = ?').run('{"versions":秘密', seq);
    } finally {
      db2.close();
    }
    const unparsed = await licbridge(['audit', 'show', '--license', licenseId, '--config', ws.configFile]);
    expect(unparsed.stderr).toContain(`audit: entry ${seq} cannot be read`);
    expect(unparsed.stderr).not.toContain('秘密');
  });
});
