/**
 * The TLS certificate lines of `licbridge status` give their times on the clock of
 * `lifecycle.timeZone`, with its offset, as its other lines do (core/zoned-time.ts). In UTC ISO a
 * CA certificate ending at 04:30 on 1 April in Beijing read `expires on 2026-03-31T20:30:00.000Z`,
 * the day before. Certificates with set start and end times (./dated-ca.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { tlsAttention } from '../../pipelines/observability/tls-attention.js';
import { datedCa } from './dated-ca.js';

const TZ = 'Asia/Shanghai';

describe('status: TLS certificate lines on the configured clock (Asia/Shanghai)', { timeout: 60_000 }, () => {
  let dir: string;
  let config: Config;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lb-tls-tz-'));
    const target = async (name: string, start: string, end: string) => ({
      kind: 'rest-json',
      // Refused at once, should a server be probed: only the configured certificates are looked at.
      url: 'https://127.0.0.1:9',
      tls: { ca: await datedCa(dir, name, start, end) },
    });
    config = {
      sources: {},
      signers: {},
      targets: {
        later: await target('later-root', '260331203000Z', '270331203000Z'),
        ended: await target('ended-root', '250331203000Z', '260318203000Z'),
        ending: await target('ending-root', '250331203000Z', '260331203000Z'),
      },
      queue: { redis: 'redis://127.0.0.1:6379' },
      ledger: { url: 'sqlite://:memory:' },
    } as unknown as Config;
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('valid only from, expired on and expires on: 20:30Z read as 04:30 the next day, +08:00', async () => {
    const now = new Date('2026-03-20T00:00:00Z');
    const messages = (await tlsAttention(config, now, TZ, { probeServers: false })).map((a) => a.message);
    expect(messages).toEqual([
      'target later: the CA certificate (subject CN=later-root) is valid only from 2026-04-01 04:30 +08:00; connections using it are refused until then: configure the certificate in force now, and this one from then on',
      'target ended: the CA certificate (subject CN=ended-root) expired on 2026-03-19 04:30 +08:00; connections using it are refused: install the renewed certificate',
      'target ending: the CA certificate (subject CN=ending-root) expires on 2026-04-01 04:30 +08:00 (in 12 day(s)): renew it now',
    ]);
  });

  it('in UTC the same lines read the UTC wall clock with +00:00', async () => {
    const now = new Date('2026-03-20T00:00:00Z');
    const messages = (await tlsAttention(config, now, 'UTC', { probeServers: false })).map((a) => a.message);
    expect(messages.map((m) => m.match(/ (\d{4}-\d\d-\d\d \d\d:\d\d \+00:00)[;) ]/)?.[1])).toEqual([
      '2026-03-31 20:30 +00:00',
      '2026-03-18 20:30 +00:00',
      '2026-03-31 20:30 +00:00',
    ]);
  });
});
