/**
 * One page of rows of an export file, with each row's record order and the checkpoint of the
 * page's last record (position.ts).
 */
import type { Page, SourceRow } from '../source.js';
import { encodeRecordOrder, type RecordOrder } from './order.js';
import { encodePosition } from './position.js';

interface LastRow {
  order: RecordOrder;
  key: string;
  cursor: string | null;
}

/** One page of rows, with each row's record order and the checkpoint of its last record. */
export class PageBuilder {
  readonly #rows: SourceRow[] = [];
  readonly #orders = new Map<string, string>();
  readonly #withCursor: boolean;
  readonly #sha256: string;
  readonly #fullRead: string | null;
  #last: LastRow | null = null;

  #passedOver = false;

  /** `sha256`: the file's, kept in the checkpoint, as is `fullRead` (position.ts). */
  constructor(withCursor: boolean, sha256: string, fullRead: string | null = null) {
    this.#withCursor = withCursor;
    this.#sha256 = sha256;
    this.#fullRead = fullRead;
  }

  /** Records of the file before this page's end were passed over for a file read after it. */
  passedOver(): void {
    this.#passedOver = true;
  }

  get size(): number {
    return this.#rows.length;
  }

  add(row: SourceRow, order: RecordOrder, cursor: string | null): void {
    this.#rows.push(row);
    this.#orders.set(row.key, encodeRecordOrder(order));
    this.#last = { order, key: row.key, cursor };
  }

  finish(): Page {
    const last = this.#last as LastRow;
    return {
      rows: this.#rows,
      checkpoint: encodePosition(
        {
          file: last.order.file,
          index: last.order.index,
          sha256: this.#sha256,
          ...(this.#passedOver ? { passedOver: true } : {}),
          ...(this.#fullRead === null ? {} : { fullRead: this.#fullRead }),
        },
        last,
        this.#withCursor,
      ),
      orders: this.#orders,
    };
  }
}
