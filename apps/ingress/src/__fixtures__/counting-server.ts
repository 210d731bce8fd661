import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP server that counts the requests it receives per `key` (a JSON body field) and answers the count. */
export interface CountingServer {
  readonly url: string;
  readonly port: number;
  /** requests received per key */
  readonly counts: Map<string, number>;
  total(): number;
  close(): Promise<void>;
}

/** Starts a {@link CountingServer} on a free loopback port. */
export async function startCountingServer(): Promise<CountingServer> {
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let key = '(none)';
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { key?: unknown };
        if (typeof body.key === 'string') key = body.key;
      } catch {
        // counted under "(none)"
      }
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ key, count }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/count`,
    port,
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
