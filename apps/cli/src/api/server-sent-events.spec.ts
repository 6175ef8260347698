import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readServerSentEvents, type ServerSentEvent } from './server-sent-events';

async function read(chunks: string[]): Promise<ServerSentEvent[]> {
  const encoder = new TextEncoder();
  async function* body() {
    for (const c of chunks) yield encoder.encode(c);
  }
  const out: ServerSentEvent[] = [];
  for await (const e of readServerSentEvents(body())) out.push(e);
  return out;
}

const STREAM =
  ': comment\n' +
  'event: invoice\ndata: {"status":"open","received":"0"}\n\n' +
  'id: 7\r\nevent: invoice\r\ndata: {"status":"paid",\r\ndata: "received":"400"}\r\n\r\n' +
  'data: plain\rdata: €uro\r\r' +
  'event: ignored-without-data\n\n' +
  'data: unterminated';

const EXPECTED: ServerSentEvent[] = [
  { event: 'invoice', data: '{"status":"open","received":"0"}' },
  { event: 'invoice', data: '{"status":"paid",\n"received":"400"}', id: '7' },
  { event: 'message', data: 'plain\n€uro', id: '7' },
];

describe('Server-Sent Events reader', () => {
  it('reads events, multi-line data, ids, comments and every line ending', async () => {
    expect(await read([STREAM])).toEqual(EXPECTED);
  });

  it('gives the same events however the bytes are split into chunks', async () => {
    const bytes = new TextEncoder().encode(STREAM);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }),
        async (cuts) => {
          const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
          async function* body() {
            for (let i = 1; i < points.length; i++) yield bytes.slice(points[i - 1], points[i]);
          }
          const out: ServerSentEvent[] = [];
          for await (const e of readServerSentEvents(body())) out.push(e);
          expect(out).toEqual(EXPECTED);
        },
      ),
    );
  });
});
