'use strict';
/**
 * Launcher for the reference connector (`ilp-connector` 23.0.2) in its own process, so the
 * connector benchmark measures its CPU and memory from /proc exactly as it does Tollgate's.
 * Plain CommonJS run with `node` (no TypeScript loader in this process, so its RSS is the
 * reference's own).
 *
 * argv[2]: JSON `{ alicePort, bobPort, adminPort, secret }`. Two child accounts, `alice`
 * and `bob`, each an ilp-plugin-btp listener on 127.0.0.1 whose token is `secret` (the
 * listener ignores auth_username). Balances on (±1e15), rate limit raised far above any
 * rate this machine can reach, no route broadcasts to or from the two children (CCP
 * itself must stay enabled: it is what installs the local routes to children), one-to-one
 * rates, no spread, the in-memory store. The admin API (127.0.0.1 only) is on so the bench can read balances.
 *
 * IPC to the parent: `{ type: 'listening' }` once its listeners accept connections and
 * `{ type: 'ready' }` once both accounts are connected (`app.listen()` resolved). SIGTERM
 * shuts it down.
 */
const { createApp } = require('ilp-connector');

const { alicePort, bobPort, adminPort, secret } = JSON.parse(process.argv[2]);

function account(port) {
  return {
    relation: 'child',
    assetCode: 'USD',
    assetScale: 2,
    plugin: 'ilp-plugin-btp',
    options: { listener: { port, secret, wsOpts: { port, host: '127.0.0.1' } } },
    balance: { minimum: '-1000000000000000', maximum: '1000000000000000' },
    rateLimit: { refillPeriod: 1000, refillCount: 1000000000, capacity: 1000000000 },
    sendRoutes: false,
    receiveRoutes: false,
  };
}

const app = createApp({
  env: 'test',
  ilpAddress: 'test.refconn',
  backend: 'one-to-one',
  spread: 0,
  store: 'memory',
  adminApi: true,
  adminApiHost: '127.0.0.1',
  adminApiPort: adminPort,
  accounts: { alice: account(alicePort), bob: account(bobPort) },
});

const send = (message) => {
  if (process.send) process.send(message);
};

// The listeners open part-way through listen(); tell the parent when they do so it can
// connect the two accounts (listen() only resolves once both are connected).
const net = require('node:net');
function waitForPort(port, done) {
  const socket = net.connect(port, '127.0.0.1');
  socket.once('connect', () => {
    socket.destroy();
    done();
  });
  socket.once('error', () => {
    socket.destroy();
    setTimeout(() => waitForPort(port, done), 20);
  });
}
waitForPort(alicePort, () => waitForPort(bobPort, () => send({ type: 'listening' })));

app.listen().then(
  () => send({ type: 'ready' }),
  (error) => {
    process.stderr.write(`reference connector failed to start: ${error && error.stack}\n`);
    process.exit(1);
  },
);

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  const timer = setTimeout(() => process.exit(0), 2000);
  app.shutdown().then(
    () => {
      clearTimeout(timer);
      process.exit(0);
    },
    () => process.exit(0),
  );
});
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
