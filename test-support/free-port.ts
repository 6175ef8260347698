/**
 * A TCP port for a test server that must listen on a port chosen in advance (a reference
 * plugin's listener, a server restarted on the same port). Ports come from 20000–29999,
 * below Linux's ephemeral range (32768+): a port the kernel handed out with listen(0) and
 * got back could be taken by any outgoing connection before the test listens on it again,
 * and reference listeners bind every interface, so the check binds `::` (dual stack) too.
 */
import { createServer } from 'node:net';

const reserved = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '::' }, () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    if (reserved.has(port)) continue;
    if (await canListen(port)) {
      reserved.add(port); // never hand the same port to two servers of one test file
      return port;
    }
  }
  throw new Error('no free TCP port found in 20000-29999');
}
