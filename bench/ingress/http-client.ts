import { Agent, request } from 'node:http';
import { Pool } from 'undici';

/** A keep-alive JSON client for the load clients of the benchmarks. */
export interface JsonClient {
  post(path: string, body: unknown): Promise<{ status: number; text: string }>;
  close(): void;
}

/**
 * A client for `base` (e.g. `http://127.0.0.1:7300`) keeping up to `connections` sockets open. The
 * load clients share the machine with what they measure, so the client is the cheapest per request
 * that is still a real HTTP/1.1 client: undici's `Pool` (one request per connection at a time, no
 * pipelining), or `node:http` with `BENCH_HTTP_CLIENT=node`.
 */
export function createJsonClient(base: string, headers: Record<string, string>, connections: number): JsonClient {
  return process.env['BENCH_HTTP_CLIENT'] === 'node' ? nodeHttpClient(base, headers, connections) : undiciClient(base, headers, connections);
}

function undiciClient(base: string, headers: Record<string, string>, connections: number): JsonClient {
  const pool = new Pool(base, { connections, pipelining: 1 });
  return {
    async post(path, body) {
      const res = await pool.request({ path, method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.statusCode, text: await res.body.text() };
    },
    close: () => void pool.close(),
  };
}

function nodeHttpClient(base: string, headers: Record<string, string>, connections: number): JsonClient {
  const url = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  return {
    post(path, body) {
      const payload = Buffer.from(JSON.stringify(body));
      return new Promise((resolve, reject) => {
        const req = request(
          { host: url.hostname, port: url.port, path, method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': payload.length } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}
