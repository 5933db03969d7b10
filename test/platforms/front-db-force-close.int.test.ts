/**
 * A step given up on a silent front database closes the connections its pool still holds by force
 * (silent-database.ts `destroySoon`), for every driver a front database has: only pg's and
 * mysql2's sockets were reached, so an Oracle, DM or SQL Server front database that stopped
 * answering kept each given-up connection open for good. The pool here is a stand-in that never
 * lets a connection go (as knex's waits for one still in use); each connection is an object of its
 * driver's own class holding a real socket where that driver keeps it, on a loopback server that
 * never answers, and what is checked is that the server sees every one of them closed.
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destroySoon, recordConnections } from '../../adapters/platforms/front-db/silent-database.js';

const require = createRequire(import.meta.url);
type Ctor = { prototype: object };
const oracledb = require('oracledb') as { Connection: Ctor };
const tedious = require('tedious') as { Connection: Ctor };
const dmdb = require('dmdb/src/driver/connection.js') as { Connection: Ctor };
const pg = require('pg') as { Client: Ctor };

/** An object of the driver's connection class, without the connecting its constructor would do. */
function driverObject(ctor: Ctor, fields: object): object {
  return Object.assign(Object.create(ctor.prototype), fields);
}

/** Where each driver keeps its socket on the connection knex's pool holds. */
const DRIVERS: { name: string; connection: (socket: Socket) => object }[] = [
  {
    name: 'node-oracledb (thin mode)',
    connection: (s) => driverObject(oracledb.Connection, { _impl: { nscon: { ntAdapter: { stream: s } } } }),
  },
  { name: 'dmdb (DM)', connection: (s) => driverObject(dmdb.Connection, { socket: s }) },
  { name: 'tedious (SQL Server)', connection: (s) => driverObject(tedious.Connection, { socket: s }) },
  {
    name: 'pg (PostgreSQL, KingbaseES)',
    connection: (s) => driverObject(pg.Client, { connection: { stream: s } }),
  },
];

let server: Server;
let port = 0;
/** The client ports of the server's connections still open. */
const open = new Set<number>();

beforeAll(async () => {
  // Takes connections and never answers: a database that stopped answering.
  server = createServer((socket) => {
    const from = socket.remotePort as number;
    open.add(from);
    socket.on('close', () => open.delete(from));
    socket.on('error', () => undefined);
    socket.resume();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

/** Whether the server still holds the connection from `client`, once it is `expected` or `ms` has passed. */
async function heldAfter(client: Socket, expected: boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (open.has(client.localPort as number) !== expected && Date.now() < until) await sleep(20);
  return open.has(client.localPort as number);
}

describe('a silent front database: connections closed by force', () => {
  for (const driver of DRIVERS) {
    it(`closes a ${driver.name} connection the pool still holds`, async () => {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      try {
        await new Promise<void>((r) => socket.once('connect', () => r()));
        expect(await heldAfter(socket, true, 2_000)).toBe(true);
        const pool = new EventEmitter();
        // knex's destroy waits for a connection still in use, which a silent database never lets go.
        const k = { client: { pool }, destroy: () => new Promise<void>(() => undefined) } as unknown as Knex;
        recordConnections(k);
        pool.emit('createSuccess', 1, driver.connection(socket));
        await destroySoon(k);
        expect(await heldAfter(socket, false, 2_000)).toBe(false);
      } finally {
        socket.destroy();
      }
    });
  }
});
