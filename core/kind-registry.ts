/**
 * The lookup behind each component registry (connectors/kinds.ts, adapters/signers/kinds.ts,
 * adapters/platforms/kinds.ts): a configured `kind` to its spec, and a USAGE error naming the
 * component and the kinds this build knows when there is none.
 */
import { ErrorCodes, LicbridgeError } from './errors.js';

export interface KindRegistry<T extends { readonly kind: string }> {
  /** The spec of `kind`, or undefined for a kind this build does not know. */
  find(kind: string): T | undefined;
  /** The spec of a configured component's kind; `what` names it in the error (`source market-food`). */
  require(kind: unknown, what: string, context: Record<string, string>): T;
}

export function kindRegistry<T extends { readonly kind: string }>(specs: readonly T[]): KindRegistry<T> {
  const byKind = new Map(specs.map((s) => [s.kind, s]));
  return {
    find: (kind) => byKind.get(kind),
    require(kind, what, context) {
      const spec = byKind.get(String(kind));
      if (spec) return spec;
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `${what}: kind \`${String(kind)}\` is not supported (supported: ${specs.map((s) => s.kind).join(', ')})`,
        { context },
      );
    },
  };
}
