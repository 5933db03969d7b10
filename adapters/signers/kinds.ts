/**
 * Every signer kind, one line each. The config schema's signer variants and `createSigner` read
 * this list; a new kind is its folder plus one line here (docs/contributing.md). Specs are data and
 * a lazy `open`, so config may import this module without loading a signer.
 */
import { kindRegistry } from '../../core/kind-registry.js';
import type { SignerKindSpec } from './kind-spec.js';
import { localSm2Kind } from './local-sm2/kind.js';
import { remoteKind } from './remote/kind.js';

// biome-ignore format: one kind per line, so that a new kind is one line here
export const SIGNER_KINDS = [
  localSm2Kind,
  remoteKind,
] as const;

export type SignerKind = (typeof SIGNER_KINDS)[number]['kind'];

export const signerKinds = kindRegistry<SignerKindSpec>(SIGNER_KINDS);
