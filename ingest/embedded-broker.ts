/**
 * The one home of `aedes`: an MQTT broker inside the process, on loopback, for `npm start` without
 * `MQTT_URL`. The service reaches it with the same mqtt.js client as an external broker, so there
 * is one ingest code path.
 *
 * aedes 1.x facts (read from node_modules/aedes): ESM with a named export only (`import { Aedes }`;
 * the default export throws); `await Aedes.createBroker(opts)` constructs and awaits `listen()`
 * (async persistence setup, in-memory by default); `broker.handle` is the connection listener for
 * `net.createServer`; `broker.close(cb)` is callback-style, closes every client and clears its
 * heartbeat and will timers. It speaks MQTT 3.1.1 (and 3.1) only and ignores `$share`: nothing
 * here depends on either. Its in-memory persistence keeps `clean: false` sessions and their QoS 1
 * queues while the process lives, which is all an embedded broker needs.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Aedes } from 'aedes';

export interface EmbeddedBrokerOptions {
  /** 0 picks a free port (read it back from the result). */
  readonly port: number;
  /** Default 127.0.0.1: the embedded broker is for this machine only. */
  readonly host?: string;
  /** Client and connection errors (malformed packets, abrupt disconnects): for a debug log. */
  readonly onError?: (error: Error, clientId: string | undefined) => void;
}

export interface EmbeddedBroker {
  readonly host: string;
  /** The bound port. */
  readonly port: number;
  /** `mqtt://host:port`, for the mqtt.js client. */
  readonly url: string;
  /** Connected clients right now. */
  clients(): number;
  /** Closes the listener and every client connection; resolves when nothing is left open. */
  close(): Promise<void>;
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  // Loaded on first use, so commands that run no broker start without it.
  const { Aedes: AedesBroker } = await import('aedes');
  const broker = await AedesBroker.createBroker();
  const onError = options.onError;
  if (onError !== undefined) {
    broker.on('clientError', (client, err) => onError(err, client?.id));
    broker.on('connectionError', (client, err) => onError(err, client?.id));
  }
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  try {
    await listen(server, options.port, host);
  } catch (e) {
    await closeBroker(broker);
    throw e;
  }
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  if (onError !== undefined) server.on('error', (err) => onError(err, undefined));

  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    url: `mqtt://${host.includes(':') ? `[${host}]` : host}:${port}`,
    clients: () => sockets.size,
    close: () => {
      closing ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        await closeBroker(broker);
        // aedes destroys the connections it knows; a socket that never sent CONNECT it may not.
        for (const s of sockets) s.destroy();
        await serverClosed;
      })();
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeBroker(broker: Aedes): Promise<void> {
  return new Promise<void>((resolve) => broker.close(() => resolve()));
}
