import type { Socket } from 'node:net';
import { type Redis, type SentinelAddress, type SentinelConnectionOptions, SentinelConnector } from 'ioredis';

/**
 * Connections to Redis behind Sentinel that leave the old master as soon as the sentinels announce
 * the new one (`+switch-master`), instead of when the old master drops them.
 *
 * After a planned `SENTINEL FAILOVER` the old master lives on and takes writes for some seconds
 * (~10 s with Redis 7) until the sentinels demote it; everything written there in the meantime is
 * dropped when it starts copying the new master. ioredis' own `failoverDetector` leaves on the
 * announcement too, but through the connector's `disconnect()`, the one a caller's `quit` uses:
 * heard while a reconnect is asking the sentinels (the detector of the connection that just died
 * is still listening then), it makes that lookup fail with "Connection is closed." and the client
 * ends for good, never to reconnect. This connector only drops the socket to the old master, as a
 * server closing it would, so the client reconnects; a lookup that an announcement overtook is
 * asked again; and one set of subscriptions per master and sentinels serves every connection of
 * the process.
 *
 * Built on ioredis 5's `SentinelConnector` internals (`resolve`, `connectToSentinel`, `stream`):
 * test/queue/redis-sentinel-switch.int.test.ts fails over a master under writes and catches a
 * change there.
 */

const SWITCH_MASTER = '+switch-master';

/** What is used of ioredis' `SentinelConnector`, private and protected members included. */
interface SentinelConnectorInternals {
  options: SentinelConnectionOptions;
  stream?: Socket;
  connect(emit: (type: string, error: unknown) => void): Promise<Socket>;
  disconnect(): void;
  /** One lookup of the master at one sentinel: its address, or null. */
  resolve(endpoint: Partial<SentinelAddress>): Promise<{ host: string; port: number } | null>;
  /** A client of one sentinel, with the sentinels' user, password and TLS. */
  connectToSentinel(endpoint: Partial<SentinelAddress>, options: Record<string, unknown>): Redis;
}

const Connector = SentinelConnector as unknown as new (
  options: SentinelConnectionOptions,
) => SentinelConnectorInternals;

export class SwitchFollowingSentinelConnector extends Connector {
  /** Announcements of a new master heard; a lookup they overtook is asked again. */
  #switches = 0;
  /**
   * The master as the last lookup named it, where the connection's socket goes. Announcements name
   * masters as lookups do (IP addresses, or host names under `announce-hostnames`), which the
   * socket's peer address, always an IP address, is not.
   */
  #target: { host: string; port: number } | undefined;
  /** Stops this connection's listening: set from the lookup until the connection closes. */
  #stopListening: (() => void) | undefined;

  override async connect(emit: (type: string, error: unknown) => void): Promise<Socket> {
    // Listening from before the lookup, so an announcement during it has the lookup asked again.
    // Each connection listens until it closes and the next one anew: a client that quits (as
    // BullMQ closes its connections) never calls `disconnect()` here, and must leave nothing open.
    this.#stopListening?.();
    const stop = watchSwitches(this, (message) => this.#switched(message));
    this.#stopListening = stop;
    try {
      const stream = await super.connect(emit);
      stream.once('close', stop);
      return stream;
    } catch (e) {
      stop();
      throw e;
    }
  }

  override disconnect(): void {
    this.#stopListening?.();
    super.disconnect();
  }

  override async resolve(endpoint: Partial<SentinelAddress>) {
    const heard = this.#switches;
    let found = await super.resolve(endpoint);
    // The sentinel may have answered before it learnt of the switch: it could name the old master.
    if (this.#switches !== heard) found = await super.resolve(endpoint);
    if (found) this.#target = { host: found.host, port: found.port };
    return found;
  }

  /**
   * `<name> <old ip> <old port> <new ip> <new port>`, from any sentinel: each publishes it. Heard
   * again on a connection already on the new master, it changes nothing; heard again, word for
   * word, after the master moved back unheard (a connection waiting to reconnect listens to no
   * one), it moves the connection again.
   */
  #switched(message: string): void {
    const [name, , , host, port] = message.split(' ');
    if (name !== this.options.name) return;
    this.#switches++;
    const stream = this.stream;
    const target = this.#target;
    if (!stream || (target && target.host === host && target.port === Number(port))) return;
    // Destroyed rather than ended: a reply still coming from the old master would be a write it
    // is about to drop. ioredis sends what was not answered again on the next connection, as it
    // does after any lost connection.
    stream.destroy();
  }
}

interface SwitchWatch {
  readonly clients: readonly Redis[];
  readonly listeners: Set<(message: string) => void>;
}

/** One subscription to each sentinel per master name, sentinels and sentinel credentials. */
const watches = new Map<string, SwitchWatch>();

/** Calls `listener` with each `+switch-master` message; returns the function that stops it. */
function watchSwitches(
  connector: SentinelConnectorInternals,
  listener: (message: string) => void,
): () => void {
  const { name, sentinels, sentinelUsername, sentinelPassword, sentinelTLS } = connector.options;
  const key = JSON.stringify([name, sentinels, sentinelUsername, sentinelPassword, sentinelTLS ? 'tls' : '']);
  let watch = watches.get(key);
  if (!watch) {
    const listeners = new Set<(message: string) => void>();
    const clients = (sentinels ?? []).map((endpoint) => {
      const client = connector.connectToSentinel(endpoint, {
        lazyConnect: true,
        // ioredis' pace for its own failover detector: a sentinel down for long is retried every
        // minute; the other sentinels announce the switch too.
        retryStrategy: connector.options.sentinelReconnectStrategy,
        // ioredis drops a command after 20 reconnects by default: the SUBSCRIBE waiting for a
        // sentinel down that long (20 min at a minute apart) would go, and the sentinel, once up,
        // would be listened to never.
        maxRetriesPerRequest: null,
      });
      client.on('error', () => undefined);
      client.on('message', (channel: string, message: string) => {
        if (channel === SWITCH_MASTER) for (const l of listeners) l(message);
      });
      client.subscribe(SWITCH_MASTER).catch(() => undefined);
      return client;
    });
    watch = { clients, listeners };
    watches.set(key, watch);
  }
  const current = watch;
  current.listeners.add(listener);
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    current.listeners.delete(listener);
    if (current.listeners.size > 0 || watches.get(key) !== current) return;
    watches.delete(key);
    for (const client of current.clients) client.disconnect();
  };
}
