/**
 * A real `ws` client for the `/ws` tests (the one home of the `ws` package in the tests): every
 * message it receives, parsed, waits for a message that fits, and how the socket closed.
 */
import WebSocket from 'ws';
import { WS_PATH, type WsClientMessage, type WsServerMessage } from './protocol.js';

export interface TestWsClient {
  readonly ws: WebSocket;
  /** Every message received so far, in order. */
  readonly messages: WsServerMessage[];
  /** Binary frames received (the protocol has none). */
  binaryFrames(): number;
  /** Payload bytes received so far (every frame's data, as the network carried it uncompressed). */
  bytes(): number;
  /** The next message (from index `from`, default: after those already awaited) that fits. */
  next<T extends WsServerMessage>(fits: (m: WsServerMessage) => m is T, timeoutMs?: number): Promise<T>;
  next(fits: (m: WsServerMessage) => boolean, timeoutMs?: number): Promise<WsServerMessage>;
  send(m: WsClientMessage): void;
  /** Resolves with the close code and reason once the socket has closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Stops reading from the socket (TCP backpressure reaches the server), and reads again. */
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

/** `headers`: the upgrade request's (a session cookie, `Authorization: Bearer …`). */
export async function connectWs(port: number, headers: Readonly<Record<string, string>> = {}): Promise<TestWsClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}`, { perMessageDeflate: false, headers });
  const messages: WsServerMessage[] = [];
  let cursor = 0;
  let binary = 0;
  let bytes = 0;
  const waiters = new Set<() => void>();
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) binary++;
    bytes += data.length;
    messages.push(JSON.parse(data.toString()) as WsServerMessage);
    for (const w of [...waiters]) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })));
  ws.on('error', () => undefined); // the close event tells the test what it needs
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = (fits: (m: WsServerMessage) => boolean, timeoutMs = 5_000): Promise<WsServerMessage> =>
    new Promise((resolve, reject) => {
      const look = (): void => {
        for (; cursor < messages.length; cursor++) {
          const m = messages[cursor]!;
          if (fits(m)) {
            cursor++;
            waiters.delete(look);
            clearTimeout(timer);
            resolve(m);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(look);
        reject(new Error(`no fitting message within ${timeoutMs} ms (${messages.length} received)`));
      }, timeoutMs);
      waiters.add(look);
      look();
    });
  return {
    ws,
    messages,
    binaryFrames: () => binary,
    bytes: () => bytes,
    next: next as TestWsClient['next'],
    send: (m) => ws.send(JSON.stringify(m)),
    closed,
    pause: () => ws.pause(),
    resume: () => ws.resume(),
    close: async () => {
      if (ws.readyState !== WebSocket.CLOSED) {
        ws.close();
        await closed;
      }
    },
  };
}

/** The HTTP status the server answers an upgrade with instead of upgrading (101 when it upgrades). */
export function wsUpgradeStatus(port: number, headers: Readonly<Record<string, string>> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}`, { perMessageDeflate: false, headers });
    ws.once('unexpected-response', (req, res) => {
      resolve(res.statusCode ?? 0);
      res.socket.destroy();
      req.destroy();
    });
    ws.once('open', () => {
      resolve(101);
      ws.close();
    });
    ws.once('error', (e) => reject(e));
  });
}
