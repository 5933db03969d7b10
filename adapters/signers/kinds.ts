/**
 * Every signer kind, one line each. The config schema's signer variants and `createSigner` read
 * this list; a new kind is its folder plus one line here (docs/contributing.md). Specs are data and
 * a lazy `open`, so config may import this module without loading a signer.
 */
import type { SignerKindSpec } from './kind-spec.js';
import { localSm2Kind } from './local-sm2/kind.js';
import { remoteKind } from './remote/kind.js';

// biome-ignore format: one kind per line, so that a new kind is one line here
export const SIGNER_KINDS = [
  localSm2Kind,
  remoteKind,
] as const;

export type SignerKind = (typeof SIGNER_KINDS)[number]['kind'];

const BY_KIND: ReadonlyMap<string, SignerKindSpec> = new Map(SIGNER_KINDS.map((s) => [s.kind, s]));

/** The spec of a configured signer kind, or undefined for a kind this build does not know. */
export function signerKind(kind: string): SignerKindSpec | undefined {
  return BY_KIND.get(kind);
}
