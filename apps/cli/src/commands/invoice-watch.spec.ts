/**
 * `invoice watch` against a stand-in event stream that drops the connection mid-way: it must
 * reconnect, print each change once, and exit 0 on paid / 6 on expired.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli';
import type { CliContext } from '../command';
import { ExitCode } from '../exit-codes';

const ID = '6f0c2a47-1a3e-4d7e-9a51-3f2f7c1f0a11';

function event(res: ServerResponse, status: string, received: string): void {
  const data = {
    id: ID,
    status,
    amount: '1250',
    received,
    assetCode: 'USD',
    assetScale: 2,
    expiresAt: '2030-01-01T00:00:00.000Z',
  };
  res.write(`event: invoice\ndata: ${JSON.stringify(data)}\n\n`);
}

function context(env: Record<string, string>) {
  const out = { stdout: '', stderr: '' };
  const ctx: CliContext = {
    env,
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    onInterrupt: () => () => undefined,
  };
  return { ctx, out };
}

describe('invoice watch', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  async function serve(
    handler: (n: number, res: ServerResponse, path: string) => void,
  ): Promise<string> {
    let n = 0;
    server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      handler(++n, res, req.url ?? '');
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  }

  it('follows the stream across a dropped connection and exits 0 once paid', async () => {
    const paths: string[] = [];
    const url = await serve((n, res, path) => {
      paths.push(path);
      if (n === 1) {
        event(res, 'open', '0');
        event(res, 'open', '500');
        setTimeout(() => res.socket?.destroy(), 20); // the connection drops
      } else {
        event(res, 'open', '500'); // the snapshot after reconnecting: not printed again
        event(res, 'paid', '1250');
        res.end();
      }
    });
    const { ctx, out } = context({ TOLLGATE_URL: url });
    expect(await runCli(['invoice', 'watch', ID], ctx)).toBe(ExitCode.Ok);
    expect(paths).toEqual([`/api/checkout/${ID}/events`, `/api/checkout/${ID}/events`]);
    expect(out.stdout).toBe(
      'open    0.00 USD of 12.50 USD\n' +
        'open    5.00 USD of 12.50 USD\n' +
        'paid    12.50 USD of 12.50 USD\n' +
        `Invoice ${ID} is paid: 12.50 USD\n`,
    );
  });

  it('exits 6 when the invoice expires, with one JSON line per change', async () => {
    const url = await serve((_n, res) => {
      event(res, 'open', '100');
      event(res, 'expired', '100');
      res.end();
    });
    const { ctx, out } = context({ TOLLGATE_URL: url });
    expect(await runCli(['invoice', 'watch', ID, '--json'], ctx)).toBe(ExitCode.Expired);
    expect(
      out.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).status),
    ).toEqual(['open', 'expired']);
  });
});
