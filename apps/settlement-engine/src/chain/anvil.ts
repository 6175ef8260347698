/**
 * Starts a local `anvil` dev chain for an engine run without `ETH_RPC_URL`: the binary the
 * npm package `@foundry-rs/anvil` ships (its platform package), else `anvil` on PATH. It
 * automines, listens on loopback, and is stopped with the engine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { HDNodeWallet, Mnemonic } from 'ethers';

/** The mnemonic anvil derives its funded dev accounts from (public: dev chains only). */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';
export const ANVIL_CHAIN_ID = 31337n;

/** Private key of anvil's dev account `index` (m/44'/60'/0'/0/index). */
export function devAccountKey(index: number): string {
  const mnemonic = Mnemonic.fromPhrase(ANVIL_MNEMONIC);
  return HDNodeWallet.fromMnemonic(mnemonic, `m/44'/60'/0'/0/${index}`).privateKey;
}

export interface Anvil {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export function findAnvilBinary(): string {
  const candidates = [
    resolve(__dirname, '../../../../node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil'),
    resolve(process.cwd(), 'node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil'),
  ];
  return candidates.find((path) => existsSync(path)) ?? 'anvil';
}

export interface AnvilOptions {
  /** 0 picks a free port (anvil reports the one it took). */
  port?: number;
  /** Seconds between automatic blocks; default: mine on every transaction only. */
  blockTime?: number;
  binary?: string;
  /** Load the chain from this file if it exists, and save it there periodically and on exit. */
  statePath?: string;
}

export function startAnvil(options: AnvilOptions = {}): Promise<Anvil> {
  const args = ['--host', '127.0.0.1', '--port', String(options.port ?? 0)];
  if (options.blockTime !== undefined) args.push('--block-time', String(options.blockTime));
  if (options.statePath) {
    mkdirSync(dirname(resolve(options.statePath)), { recursive: true });
    args.push('--state', resolve(options.statePath), '--state-interval', '10');
  }
  const child: ChildProcess = spawn(options.binary ?? findAnvilBinary(), args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolvePromise, reject) => {
    let output = '';
    const fail = (error: Error): void => {
      child.kill('SIGKILL');
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error('anvil did not start within 20 s')), 20_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run anvil (${error.message}); set ETH_RPC_URL or install it`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`anvil exited with code ${code}: ${output.slice(-500)}`));
    });
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /Listening on ([0-9.]+):([0-9]+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.removeAllListeners('exit');
      // Keep draining its output so it never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
      const port = Number(match[2]);
      resolvePromise({
        url: `http://127.0.0.1:${port}`,
        port,
        stop: () => stopChild(child),
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(force);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}
