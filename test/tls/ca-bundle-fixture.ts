/** The `tls.ca` bundle tests' set-up: one REST target trusting `ca`, and `status`'s TLS lines of it. */
import type { Config } from '../../config/types.js';
import { tlsFindings } from '../../pipelines/observability/tls-attention.js';

/** A config whose only TLS is target `province` with `tls.ca` set to `ca`. */
const configWithCa = (ca: string): Config =>
  ({
    sources: {},
    signers: {},
    targets: { province: { kind: 'rest-json', url: 'https://127.0.0.1:9', tls: { ca } } },
    queue: { redis: 'redis://127.0.0.1:6379' },
    ledger: { url: 'sqlite://:memory:' },
  }) as unknown as Config;

/**
 * `status`'s TLS lines for a target trusting the bundle `ca`, as of `now` in UTC, servers not
 * probed: those that need a person, and those for information.
 */
export const caBundleFindings = async (
  ca: string,
  now: Date,
): Promise<{ attention: string[]; information: string[] }> => {
  const found = await tlsFindings(configWithCa(ca), now, 'UTC', { probeServers: false });
  return { attention: found.attention.map((a) => a.message), information: found.information };
};

/** The lines of caBundleFindings that need a person. */
export const caBundleLines = async (ca: string, now: Date): Promise<string[]> =>
  (await caBundleFindings(ca, now)).attention;
