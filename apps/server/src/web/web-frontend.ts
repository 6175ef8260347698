/**
 * Runs the Next.js front end (`apps/web`, production build) beside the server, as a child
 * process of it: `npm start` serves both, and server-side rendering never blocks the event
 * loop that carries the connector's packets. The child runs Next programmatically and exits
 * when its IPC channel to us closes, so even a killed server leaves no web server behind.
 * The web reaches the API at `apiUrl` (TOLLGATE_API_URL); the browser is told the public
 * address (see apps/web/lib/server-config).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface WebFrontendOptions {
  port: number;
  host: string;
  /** Where the web server reaches the API, e.g. http://127.0.0.1:8080 */
  apiUrl: string;
  /** The web app's folder; default: apps/web of this checkout. */
  dir?: string;
  /** Where the child's output goes (default: dropped). */
  onOutput?: (line: string) => void;
  readyTimeoutMs?: number;
}

export interface RunningWebFrontend {
  url: string;
  stop(): Promise<void>;
}

/**
 * The child: Next's production server on the given port; it exits when the parent's IPC
 * channel closes (the parent stopped or died) or on SIGTERM.
 */
const CHILD_SCRIPT = `
const [nextModule, dir, port, hostname] = process.argv.slice(1);
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
const next = require(nextModule);
const app = (next.default || next)({ dir, dev: false, hostname, port: Number(port) });
app.prepare().then(() => {
  const handle = app.getRequestHandler();
  const server = require('node:http').createServer((req, res) => handle(req, res));
  server.on('error', (error) => { console.error(error.message); process.exit(1); });
  server.listen(Number(port), hostname, () => console.log('ready on ' + hostname + ':' + port));
}, (error) => { console.error(error && error.stack || error); process.exit(1); });
`;

/** The `apps/web` folder above this file (in `src/` or compiled in `dist/`). */
export function findWebDir(from = __dirname): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'apps', 'web');
    if (existsSync(join(candidate, 'next.config.ts'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** True when `next build` has run in `dir`. */
export function isWebBuilt(dir: string): boolean {
  return existsSync(join(dir, '.next', 'BUILD_ID'));
}

/** Starts `next start` and resolves once it answers HTTP; rejects with the reason otherwise. */
export async function startWebFrontend(options: WebFrontendOptions): Promise<RunningWebFrontend> {
  const dir = options.dir ?? findWebDir();
  if (dir === undefined) throw new Error('apps/web not found');
  if (!isWebBuilt(dir)) throw new Error('the web front end is not built (npm run build:web)');
  const nextModule = require.resolve('next', { paths: [dir] });
  const shownHost =
    options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const child = spawn(
    process.execPath,
    ['-e', CHILD_SCRIPT, nextModule, dir, String(options.port), options.host],
    {
      cwd: dir,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        TOLLGATE_API_URL: options.apiUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      output.push(line);
      if (output.length > 50) output.shift();
      options.onOutput?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  const url = `http://${shownHost}:${options.port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    const early = await Promise.race([exited, delay(100).then(() => 'waiting' as const)]);
    if (early !== 'waiting') {
      throw new Error(`the web front end exited (${early}): ${output.slice(-5).join(' | ')}`);
    }
    if (await answers(url)) break;
    if (Date.now() > deadline) {
      await stopChild(child, exited);
      throw new Error(`the web front end did not answer on ${url} in time`);
    }
  }
  let stopping: Promise<void> | undefined;
  return {
    url,
    stop: () => (stopping ??= stopChild(child, exited)),
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
