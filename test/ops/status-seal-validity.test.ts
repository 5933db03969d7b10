// `licbridge status` judges the configured seals themselves, not only their signers' certificates:
// a seal made for a certificate since renewed (the seal still lists the old one) or past its own
// validity is refused by `sign files`, and status said nothing of it — the renewed certificate
// passed, and the owed files piled up. Each is now a `certificate` attention naming the seal and
// what to do; a seal that serves, one marked revoked, and one not made yet say nothing.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { sealAttention } from '../../pipelines/observability/seal-attention.js';
import { type SealKit, sealKit } from '../documents/seal-kit.js';
import { makeTempDir, selfSignedCertificate } from '../signers/helpers.js';

const DAY = 24 * 3600 * 1000;
const TZ = 'Asia/Shanghai';

type SealsAndSigners = Pick<Config, 'seals' | 'signers'>;

function configOf(kit: SealKit, certificate = kit.holder.certPath, status: 'active' | 'revoked' = 'active') {
  return {
    signers: { district: { ...kit.holder.config, certificate } },
    seals: { 'district-seal': { file: kit.sealFile, signer: 'district', status } },
  } as unknown as SealsAndSigners;
}

describe('status: the configured seals', { timeout: 60_000 }, () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir, 365);
  });
  afterAll(() => cleanup());

  it('says nothing of a seal that serves, one marked revoked, or one not made yet', () => {
    expect(sealAttention(configOf(kit), new Date(), TZ)).toEqual([]);
    expect(
      sealAttention(configOf(kit, kit.holder.certPath, 'revoked'), new Date(Date.now() + 400 * DAY), TZ),
    ).toEqual([]);
    const notMade = configOf(kit);
    (notMade.seals['district-seal'] as { file: string }).file = join(dir, 'none.esl');
    expect(sealAttention(notMade, new Date(Date.now() + 400 * DAY), TZ)).toEqual([]);
  });

  it('names a seal past its validity, and one ending within 30 days', () => {
    const [expired, ...more] = sealAttention(configOf(kit), new Date(Date.now() + 400 * DAY), TZ);
    expect(more).toEqual([]);
    expect(expired?.kind).toBe('certificate');
    expect(expired?.message).toMatch(
      /^seal district-seal \(37021100000001\) expired on .*`sign files` refuses it/,
    );
    expect(expired?.message).toContain('licbridge seal make district-seal');
    const [soon] = sealAttention(configOf(kit), new Date(Date.now() + 350 * DAY), TZ);
    expect(soon?.message).toMatch(
      /^seal district-seal \(37021100000001\) expires on .* \(in 1[56] day\(s\)\)/,
    );
  });

  it("names a seal that does not list its signer's renewed certificate", () => {
    const renewed = join(dir, 'holder-renewed.cert.pem');
    selfSignedCertificate(dir, {
      key: kit.holder.keyPath,
      subject: '/CN=West Coast Market Supervision Bureau',
      days: 730,
      out: renewed,
    });
    const [unlisted, ...more] = sealAttention(configOf(kit, renewed), new Date(), TZ);
    expect(more).toEqual([]);
    expect(unlisted?.message).toMatch(
      /^seal district-seal \(37021100000001\) does not list the certificate of its signer district \(serial [0-9A-F]+\), renewed since the seal was made; `sign files` refuses it/,
    );
  });
});
