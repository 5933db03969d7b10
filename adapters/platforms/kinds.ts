/**
 * Every target kind, one line each. The config schema's target variants and `createTarget` read
 * this list; a new kind is its folder plus one line here, and a fixture in the target conformance
 * suite (docs/contributing.md). Specs are data and a lazy `open`, so config may import this module
 * without loading an HTTP or database client.
 */
import { frontDbKind } from './front-db/kind.js';
import type { TargetKindSpec } from './kind-spec.js';
import { notifyKind } from './notify/kind.js';
import { restJsonKind } from './rest-json/kind.js';
import { soapXmlKind } from './soap-xml/kind.js';

// biome-ignore format: one kind per line, so that a new kind is one line here
export const TARGET_KINDS = [
  restJsonKind,
  soapXmlKind,
  frontDbKind,
  notifyKind,
] as const;

export type TargetKind = (typeof TARGET_KINDS)[number]['kind'];

const BY_KIND: ReadonlyMap<string, TargetKindSpec> = new Map(TARGET_KINDS.map((s) => [s.kind, s]));

/** The spec of a configured target kind, or undefined for a kind this build does not know. */
export function targetKind(kind: string): TargetKindSpec | undefined {
  return BY_KIND.get(kind);
}
