/**
 * A request's `timeout` as a bound on the whole request, answer body included. axios's own
 * timeout on Node bounds the wait for the answer's headers only; past them it is the socket's idle
 * time (`ClientRequest#setTimeout`), which every byte restarts. A platform, gateway or proxy
 * trickling its answer a byte at a time held the request, and the job making it, for as long as it
 * kept writing: a deliver job that never ended, and a wait counting a job in a live worker's hands
 * as not idle (pipelines/idle-rule.ts) never gave up. Signing servers are bounded whole already
 * (signers/remote/http.ts: `AbortSignal.timeout` on the request, which ends its answer too).
 */
import axios, {
  AxiosError,
  type AxiosPromise,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';

const httpAdapter = axios.getAdapter('http');

/**
 * The slowest link a request body is allowed to go over, bytes per ms (128 KiB/s, about 1 Mbit/s):
 * the whole-request bound is `timeout` plus the body's size at this rate. Sending is the sender's
 * own work, bounded by the link, not by the platform: a 32 MiB batch (`maxBatchBytes`' default)
 * over a 10 Mbit/s link takes about 27 s, and `timeoutMs`' default of 10 s alone would time every
 * attempt out until the batch became dead letters. A body sent slower than this still ends.
 */
export const SLOWEST_UPLOAD_BYTES_PER_MS = (128 * 1024) / 1000;

/**
 * How long a request with a body of `bodyBytes` may take in all, ms: `timeoutMs` and the time the
 * body takes to send at SLOWEST_UPLOAD_BYTES_PER_MS. The one rule for both the request's own bound
 * (`wholeRequestMs`) and the delivery lease that must outlast it (pipelines/stages/delivery-lease.ts).
 */
export function requestAllowanceMs(timeoutMs: number, bodyBytes: number): number {
  return timeoutMs + Math.ceil(bodyBytes / SLOWEST_UPLOAD_BYTES_PER_MS);
}

/** How long a request with `config`'s body may take in all, ms: `requestAllowanceMs` of its bytes. */
export function wholeRequestMs(timeout: number, data: unknown): number {
  return requestAllowanceMs(timeout, bodyBytes(data));
}

/** The bytes of a body as the adapter gets it (a transformed JSON or XML string, a built multipart Buffer). */
function bodyBytes(data: unknown): number {
  if (typeof data === 'string') return Buffer.byteLength(data);
  if (ArrayBuffer.isView(data) || data instanceof ArrayBuffer) return data.byteLength;
  return 0;
}

/**
 * axios's Node adapter with the request's `timeout` (and the time its body takes to send,
 * wholeRequestMs) also ending it that long after it started, whatever the answer is doing: failed
 * as axios fails a timeout (`ECONNABORTED`, `timeout of … ms exceeded`), so callers read it as the
 * timeout it is; the connection is closed.
 */
export function wholeRequestTimeout(config: InternalAxiosRequestConfig): AxiosPromise {
  const timeout = config.timeout ?? 0;
  if (!(timeout > 0)) return httpAdapter(config);
  const ms = wholeRequestMs(timeout, config.data);
  const ended = new AbortController();
  // A caller's own signal (a listing stopped) still ends the request as it did.
  const signal = config.signal ? AbortSignal.any([config.signal as AbortSignal, ended.signal]) : ended.signal;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Rejected before the request is aborted: the race ends with the timeout, not with the
      // cancellation the abort makes of it.
      reject(new AxiosError(`timeout of ${timeout}ms exceeded`, AxiosError.ECONNABORTED, config));
      ended.abort();
    }, ms);
  });
  const sent: Promise<AxiosResponse> = httpAdapter({ ...config, signal });
  return Promise.race([sent, late]).finally(() => clearTimeout(timer));
}
