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
  /** Resolves once the web server listens; rejects with the reason when it cannot. */
  ready: Promise<void>;
  /** Stops the child (also while it is still starting). */
  stop(): Promise<void>;
}

/**
 * The child: Next's production server on the given port; it exits when the parent's IPC
 * channel closes (the parent stopped or died) or on SIGTERM.
 */
const READY_LINE = 'tollgate-web-ready';
const CHILD_SCRIPT = `
const READY = '${READY_LINE}';
const [nextModule, dir, port, hostname] = process.argv.slice(1);
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
const next = require(nextModule);
const app = (next.default || next)({ dir, dev: false, hostname, port: Number(port) });
app.prepare().then(() => {
  const handle = app.getRequestHandler();
  const server = require('node:http').createServer((req, res) => handle(req, res));
  server.on('error', (error) => { console.error(error.message); process.exit(1); });
  server.listen(Number(port), hostname, () => console.log(READY));
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

/** Why the web front end cannot start from `dir`, or undefined when it can. */
export function webFrontendProblem(dir: string | undefined = findWebDir()): string | undefined {
  if (dir === undefined) return 'apps/web not found';
  if (!existsSync(join(dir, '.next', 'BUILD_ID'))) {
    return 'apps/web is not built (npm run build:web)';
  }
  return undefined;
}

/**
 * Starts the web server in a child process and returns at once: `ready` says when it
 * listens (the child reports it after `listen`, so another program on the port cannot pass
 * for it), or why it could not start.
 */
export function startWebFrontend(options: WebFrontendOptions): RunningWebFrontend {
  const dir = options.dir ?? findWebDir();
  const shownHost =
    options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const url = `http://${shownHost}:${options.port}`;
  const problem = webFrontendProblem(dir);
  if (dir === undefined || problem !== undefined) {
    const ready = Promise.reject(new Error(problem));
    ready.catch(() => undefined);
    return { url, ready, stop: async () => undefined };
  }
  const nextModule = require.resolve('next', { paths: [dir] });
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
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const output: string[] = [];
  let markReady: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => (markReady = resolve));
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      if (line.trim() === READY_LINE) {
        markReady();
        continue;
      }
      output.push(line);
      if (output.length > 50) output.shift();
      options.onOutput?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopChild(child, exited));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ready = Promise.race([
    listening,
    exited.then((code) => {
      throw new Error(`the web front end exited (${code}): ${output.slice(-5).join(' | ')}`);
    }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void stop();
        reject(new Error(`the web front end did not listen on ${url} in time`));
      }, options.readyTimeoutMs ?? 60_000);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
  ready.catch(() => undefined); // the caller may not await it; the reason stays on `ready`
  return { url, ready, stop };
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
