import type { ErrorObject } from 'ajv';
import { targetKinds } from '../adapters/platforms/kinds.js';
import { signerKinds } from '../adapters/signers/kinds.js';
import type { Problem } from '../core/errors.js';
import { asRecord, faultWithin, jsonPointer, problemAtPath, type YamlTree } from './yaml-tree.js';

/**
 * What each target's kind finds in its config beyond the schema (its spec's `problems`), located
 * at the value at fault: a code in both `exchangeStatus` lists of a front database is refused
 * before anything opens it. A kind reads the shape its schema declared, so a target the schema
 * found fault with (`schemaErrors`) is left to those errors.
 */
export function targetKindProblems(
  tree: YamlTree,
  file: string,
  schemaErrors: readonly ErrorObject[],
): Problem[] {
  return kindProblems(tree, file, schemaErrors, 'targets', (kind) => targetKinds.find(kind));
}

/** The same for each signer's kind: a signing server's `tls` next to an `http://` url. */
export function signerKindProblems(
  tree: YamlTree,
  file: string,
  schemaErrors: readonly ErrorObject[],
): Problem[] {
  return kindProblems(tree, file, schemaErrors, 'signers', (kind) => signerKinds.find(kind));
}

interface ProblemsOfKind {
  problems?(
    name: string,
    config: unknown,
  ): readonly { path: readonly (string | number)[]; message: string }[];
}

function kindProblems(
  tree: YamlTree,
  file: string,
  schemaErrors: readonly ErrorObject[],
  section: 'targets' | 'signers',
  find: (kind: string) => ProblemsOfKind | undefined,
): Problem[] {
  const problems: Problem[] = [];
  const errorPaths = schemaErrors.map((e) => e.instancePath);
  for (const [name, value] of Object.entries(asRecord(asRecord(tree.data)?.[section]) ?? {})) {
    const at = jsonPointer([section, name]);
    if (faultWithin(errorPaths, at)) continue;
    const config = asRecord(value);
    const spec = config && find(String(config.kind));
    for (const p of spec?.problems?.(name, config) ?? []) {
      problems.push(problemAtPath(tree, file, [section, name, ...p.path], p.message));
    }
  }
  return problems;
}
