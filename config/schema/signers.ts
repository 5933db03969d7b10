// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import { SIGNER_KINDS } from '../../adapters/signers/kinds.js';
import { closed, namedMap, type Schema, str } from './builders.js';

/** Signers: electronic seals. One variant per registered kind (adapters/signers/kinds.ts). */
export const signer: Schema = {
  type: 'object',
  description: 'An electronic seal that signs licenses.',
  discriminator: { propertyName: 'kind' },
  oneOf: SIGNER_KINDS.map((k) => k.schema),
};

/**
 * The trust list: keys verification accepts besides the configured signers' own. Verification
 * never trusts a key only because the ledger holds it (whoever can write the ledger could add one).
 */
const trustedKey = closed(
  'A key `licbridge verify` accepts: a retired seal key whose signatures it still accepts (a key rotated out, or a seal no longer configured), or the certificate of a seal maker (`role: seal-maker`).',
  {
    sealId: str(
      'Seal id the key signed as; it verifies only signatures recorded under this seal. For a `seal-maker` entry, a label only.',
    ),
    file: str(
      "Path of a PEM file with the key's X.509 certificate or its public key (`openssl pkey -pubout`), relative to this file. Several PEM blocks may share one file. With a certificate, the signature's recorded serial must be its serial and the certificate must have been valid at signing time.",
    ),
    role: {
      type: 'string',
      enum: ['signer', 'seal-maker', 'tsa'],
      description:
        "What the key is trusted for: `signer` (it signs licenses and sealed files), `seal-maker` (it makes seals: the maker's certificate a seal carries), or `tsa` (a time-stamping authority's certificate, or the root that issues it: a signature's RFC 3161 timestamp is trusted when its authority is one of these or issued by one). Without it the entry is trusted as a signer and a seal maker, as before roles existed (never as a TSA), except a key under a configured signer's `sealId` other than that signer's current one: that seal's retired key, a signer only (the signer's current certificate listed under its seal id is trusted as a seal maker too: a maker that `seal make --maker` signs with); a configured signer's own certificate is trusted as a signer only, so a seal its holder made itself is not a properly made seal.",
    },
  },
  ['sealId', 'file'],
);

export const trust: Schema = namedMap(
  "Keys `licbridge verify` trusts besides the configured signers' current keys and certificates, by a name you choose. Keys registered only in the ledger are never trusted.",
  trustedKey,
);
