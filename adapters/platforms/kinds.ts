/**
 * Every target kind, one line each. The config schema's target variants and `createTarget` read
 * this list; a new kind is its folder plus one line here, and a fixture in the target conformance
 * suite (docs/contributing.md). Specs are data and a lazy `open`, so config may import this module
 * without loading an HTTP or database client.
 */

import { kindRegistry } from '../../core/kind-registry.js';
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

export const targetKinds = kindRegistry<TargetKindSpec>(TARGET_KINDS);
