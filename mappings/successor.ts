/**
 * How a row's license continues another (renewal, change, transfer-in): the `predecessor.*` and
 * `operation` fields of a mapping, read from the mapped draft. They never enter the license; the
 * pipeline resolves the predecessor to `previousIdentifier` (pipelines/lifecycle/predecessors.ts).
 */
import { showValue } from '../catalog/personal.js';
import { SUCCESSOR_OPERATIONS } from '../core/code-lists.js';
import type { CompiledMapping, LicenseDraft, MapReason, RuleWriters } from './types.js';

/** How a mapping names the license a row's license continues (`predecessor.*` rules). */
export interface PredecessorRef {
  number?: string;
  sourceKey?: string;
}

export type SuccessorOperation = (typeof SUCCESSOR_OPERATIONS)[number];

const SUCCESSORS: ReadonlySet<string> = new Set(SUCCESSOR_OPERATIONS);

/**
 * `op` as a reason's value shows it (showValue): masked as the personal field its column feeds,
 * else its ID, mobile and passport numbers by their shape; cut to 64 characters.
 */
const quoted = (op: string, personal: string | undefined): string =>
  showValue(personal ?? 'operation', op, personal !== undefined) ?? '';

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined;

/**
 * The predecessor and operation a row's mapping gives. A predecessor without an operation is a
 * renewal; an operation without a predecessor cannot be sent (the platforms require one) and
 * quarantines the row, as does an operation that is not renew, change or transfer.
 */
export function successorOf(
  draft: LicenseDraft,
  mapping: CompiledMapping,
  writers?: RuleWriters,
): { predecessor?: PredecessorRef; operation?: SuccessorOperation } | { reasons: MapReason[] } {
  const number = text(draft.predecessor?.number);
  const sourceKey = text(draft.predecessor?.sourceKey);
  const op = text(draft.operation);
  // The rule the row's `when`s chose, where that is not the field's first.
  const at = (path: string) => (writers?.[path] ?? mapping.origins[path])?.location;
  if (op !== undefined && !SUCCESSORS.has(op)) {
    const location = at('operation');
    return {
      reasons: [
        {
          code: 'LB_MAP_OPERATION',
          // The value quoted may be anything a column held: no ID, mobile or passport number in a
          // reason, and a column read into a personal field (a rule reading the wrong column) masked
          // as it.
          message: `mapping: operation: \`${quoted(op, mapping.origins.operation?.personal)}\` is not one of ${SUCCESSOR_OPERATIONS.join(', ')}`,
          path: 'operation',
          ...(location ? { location } : {}),
        },
      ],
    };
  }
  if (number === undefined && sourceKey === undefined) {
    if (op === undefined) return {};
    const location = at('operation');
    return {
      reasons: [
        {
          code: 'LB_PREDECESSOR_REQUIRED',
          message: `mapping: operation ${op} needs the license it continues (predecessor.number or predecessor.sourceKey)`,
          path: 'operation',
          ...(location ? { location } : {}),
        },
      ],
    };
  }
  return {
    predecessor: {
      ...(number === undefined ? {} : { number }),
      ...(sourceKey === undefined ? {} : { sourceKey }),
    },
    operation: (op ?? 'renew') as SuccessorOperation,
  };
}
