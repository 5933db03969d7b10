/**
 * The delivery, held-duplicate, seal and seal-certificate lines of `licbridge status` give their
 * times on the clock of `lifecycle.timeZone`, with its offset, as its schedule, check and deadline
 * lines do (core/zoned-time.ts). In UTC ISO a delivery open since 04:30 in Beijing read
 * `2026-03-09T20:30:00.000Z`, the evening before, and a certificate ending at 04:30 on 1 April
 * there read as ending on 31 March: a person renewing by the printed day is a day late.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSeal } from '../../adapters/signers/ses/seal-format.js';
import type { Config } from '../../config/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { certificateAttention } from '../../pipelines/observability/attention.js';
import {
  failingChecksAttention,
  overdueAttention,
} from '../../pipelines/observability/delivery-attention.js';
import { heldDuplicateAttention } from '../../pipelines/observability/duplicate-attention.js';
import { sealAttention } from '../../pipelines/observability/seal-attention.js';
import { type SealKit, sealKit } from '../documents/seal-kit.js';
import { makeTempDir } from '../signers/helpers.js';

const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;

/**
 * Beijing time, counted here without Intl: the zone keeps +08:00 all year. Seconds only when the
 * instant has them, as status prints it.
 */
function beijing(d: Date): string {
  const iso = new Date(d.getTime() + 8 * 3600_000).toISOString();
  const seconds = iso.slice(17, 19);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${seconds === '00' ? '' : `:${seconds}`} +08:00`;
}

describe('status lines on the configured clock (Asia/Shanghai)', () => {
  it('delivery-overdue: the oldest open delivery, 20:30Z read as 04:30 the next day', async () => {
    const config = {
      targets: { province: { kind: 'rest', pendingAlertMs: 3600_000 } },
    } as unknown as Config;
    const ledger = {
      overdueDeliveries: async () => [
        { pipeline: 'food', count: 2, oldest: new Date('2026-03-09T20:30:00Z') },
      ],
    } as unknown as Ledger;
    const [note] = await overdueAttention(
      config,
      ledger,
      'food',
      ['province'],
      new Date('2026-03-10T03:00:00Z'),
      TZ,
    );
    expect(note?.message).toContain('(oldest since 2026-03-10 04:30 +08:00)');
  });

  it('delivery-checks-failing: the last failed check, on the same clock', async () => {
    const ledger = {
      failingStatusChecks: async () => [
        {
          pipeline: 'food',
          target: 'province',
          count: 1,
          latest: new Date('2026-03-09T20:30:15Z'),
          lastError: 'no result',
        },
      ],
    };
    const [note] = await failingChecksAttention(ledger, 'food', ['province'], TZ);
    expect(note?.message).toContain('(last at 2026-03-10 04:30:15 +08:00: no result)');
  });

  it('duplicates-held: since the oldest duplicate answer', () => {
    const held = [
      { pipeline: 'food', target: 'province', count: 1, oldest: new Date('2026-03-09T20:30:00Z') },
    ];
    const [note] = heldDuplicateAttention(held, new Date('2026-03-12T03:00:00Z'), TZ);
    expect(note?.message).toContain('held back as answered duplicates since 2026-03-10 04:30 +08:00 (2 d)');
  });

  it('certificate: a signer certificate not valid yet, expired, and expiring', () => {
    const now = new Date('2026-03-20T00:00:00Z');
    const cert = (notBefore: string, notAfter: string) => [{ signer: 'district', notBefore, notAfter }];
    const [notYet] = certificateAttention(cert('2026-03-31T20:30:00Z', '2027-03-31T20:30:00Z'), now, TZ);
    expect(notYet?.message).toContain('is valid only from 2026-04-01 04:30 +08:00;');
    expect(notYet?.message).toContain('and this one from 2026-04-01 04:30 +08:00 on');
    const [expired] = certificateAttention(cert('2025-03-31T20:30:00Z', '2026-03-18T20:30:00Z'), now, TZ);
    expect(expired?.message).toContain('the seal certificate expired on 2026-03-19 04:30 +08:00;');
    const [soon] = certificateAttention(cert('2025-03-31T20:30:00Z', '2026-03-31T20:30:00Z'), now, TZ);
    expect(soon?.message).toContain('the seal certificate expires on 2026-04-01 04:30 +08:00 (in 12 day(s))');
  });

  describe('seal validity', { timeout: 60_000 }, () => {
    let cleanup: () => void;
    let kit: SealKit;
    let config: Pick<Config, 'seals' | 'signers'>;
    let validFrom: Date;
    let validTo: Date;

    beforeAll(async () => {
      const made = makeTempDir();
      cleanup = made.cleanup;
      kit = await sealKit(made.dir, 30);
      config = {
        signers: { district: { ...kit.holder.config, certificate: kit.holder.certPath } },
        seals: { 'district-seal': { file: kit.sealFile, signer: 'district', status: 'active' } },
      } as unknown as Pick<Config, 'seals' | 'signers'>;
      ({ validFrom, validTo } = decodeSeal(readFileSync(kit.sealFile)).info);
    });
    afterAll(() => cleanup?.());

    it('is valid only from, expired on, and expires on: on the same clock', () => {
      const [early] = sealAttention(config, new Date(validFrom.getTime() - DAY), TZ);
      expect(early?.message).toContain(`is valid only from ${beijing(validFrom)};`);
      const [expired] = sealAttention(config, new Date(validTo.getTime() + DAY), TZ);
      expect(expired?.message).toContain(`expired on ${beijing(validTo)};`);
      const [soon] = sealAttention(config, new Date(validTo.getTime() - 5 * DAY), TZ);
      expect(soon?.message).toContain(`expires on ${beijing(validTo)} (in 5 day(s))`);
    });
  });
});
