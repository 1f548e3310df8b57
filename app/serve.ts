import { createServer } from 'node:http';
import type { Config } from './config.js';
import type { CliIo } from './cli.js';

/**
 * `seagrid serve`. The foundation issue ships only the process shell: a web server with
 * `/health`, clean start and stop. Ingest, store and map arrive with their issues and say so.
 */
export async function runServe(config: Config, io: CliIo): Promise<number> {
  const startedAtMs = io.nowMs();
  const server = createServer((req, res) => {
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: 'ok',
          uptimeS: Math.round((io.nowMs() - startedAtMs) / 1000),
          broker: 'not yet',
          store: 'not yet',
        }),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'not found' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.httpPort, config.httpHost, resolve);
  });
  io.stdout.write(
    `seagrid: listening on http://${config.httpHost}:${config.httpPort}/ (health at /health)\n` +
      'seagrid: MQTT ingest, live picture and demo feed: not yet (issue 3); store: not yet (issue 4); command map: not yet\n',
  );
  const signal = await io.stopSignal;
  io.stdout.write(`seagrid: ${signal}: stopping\n`);
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  io.stdout.write('seagrid: stopped\n');
  return 0;
}
