// Loaded with `node --import` into a Roster process under test: every connection it tries to make to port 5432 or
// 6379, on any host, is written to ROSTER_PORT_GUARD_LOG and refused as if nothing listened there. So a test can tell
// that local mode neither needs nor touches the servers there, whatever this machine runs on those ports.
import { appendFileSync } from 'node:fs';
import net from 'node:net';

const GUARDED_PORTS = new Set([5432, 6379]);
const log = process.env.ROSTER_PORT_GUARD_LOG;
const connect = net.Socket.prototype.connect;

net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  // net.connect() hands over its arguments normalised into an array; socket.connect(port, host) does not.
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const port = Number(typeof first === 'object' && first !== null ? (first as { port?: unknown }).port : first);
  if (!GUARDED_PORTS.has(port)) return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  const host = typeof first === 'object' && first !== null ? (first as { host?: string }).host : args[1];
  if (log) appendFileSync(log, `${process.argv.slice(1).join(' ')} tried ${host ?? 'localhost'}:${port}\n${new Error().stack}\n`);
  process.nextTick(() => this.destroy(Object.assign(new Error(`connect ECONNREFUSED ${host ?? 'localhost'}:${port}`), { code: 'ECONNREFUSED' })));
  return this;
} as typeof net.Socket.prototype.connect;
