/**
 * A webhook receiver for tests: a local HTTP server that records every request (raw body,
 * headers) and answers with the statuses it is told to, in order (then 200).
 */
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: { id: string; type: string; createdAt: string; data: Record<string, unknown> };
  answeredWith: number;
}

export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly server: Server;
  private readonly script = new Map<string, number[]>();
  private waiters: (() => void)[] = [];

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        const status = this.script.get(path)?.shift() ?? 200;
        const rawBody = Buffer.concat(chunks).toString('utf8');
        this.requests.push({
          path,
          headers: req.headers,
          rawBody,
          body: JSON.parse(rawBody),
          answeredWith: status,
        });
        res.statusCode = status;
        res.end(status === 200 ? 'ok' : 'not now');
        const waiters = this.waiters;
        this.waiters = [];
        for (const w of waiters) w();
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next answers on `path`, in order; after them, 200. */
  answer(path: string, statuses: number[]): void {
    this.script.set(path, [...statuses]);
  }

  on(path: string, type?: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path && (!type || r.body.type === type));
  }

  /** Resolves once `predicate` holds, re-checking on every request received. */
  async until(predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('webhook receiver: condition not met in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
