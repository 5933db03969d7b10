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
 * axios's Node adapter with the request's `timeout` also ending it that long after it started,
 * whatever the answer is doing: failed as axios fails a timeout (`ECONNABORTED`, `timeout of … ms
 * exceeded`), so callers read it as the timeout it is; the connection is closed.
 */
export function wholeRequestTimeout(config: InternalAxiosRequestConfig): AxiosPromise {
  const ms = config.timeout ?? 0;
  if (!(ms > 0)) return httpAdapter(config);
  const ended = new AbortController();
  // A caller's own signal (a listing stopped) still ends the request as it did.
  const signal = config.signal ? AbortSignal.any([config.signal as AbortSignal, ended.signal]) : ended.signal;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Rejected before the request is aborted: the race ends with the timeout, not with the
      // cancellation the abort makes of it.
      reject(new AxiosError(`timeout of ${ms}ms exceeded`, AxiosError.ECONNABORTED, config));
      ended.abort();
    }, ms);
  });
  const sent: Promise<AxiosResponse> = httpAdapter({ ...config, signal });
  return Promise.race([sent, late]).finally(() => clearTimeout(timer));
}
