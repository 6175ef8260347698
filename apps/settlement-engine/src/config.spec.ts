import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has working defaults: own anvil, embedded database, connector on 7771', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3001,
      host: '127.0.0.1',
      connectorUrl: 'http://127.0.0.1:7771',
      rpcUrl: undefined,
      privateKey: undefined,
      devAccountIndex: 0,
      confirmations: 1,
      databaseUrl: undefined,
      logLevel: 'info',
    });
  });

  it('lists every bad variable at once and never echoes a secret', () => {
    const secret = 'f'.repeat(63);
    let error: ConfigError | undefined;
    try {
      loadConfig({
        ENGINE_PORT: '70000',
        CONNECTOR_URL: 'ftp://x',
        ETH_RPC_URL: 'nope',
        ETH_PRIVATE_KEY: secret,
        ETH_DEV_ACCOUNT: '10',
        ETH_CONFIRMATIONS: '0',
        ETH_POLL_INTERVAL_MS: '1.5',
        ENGINE_DATABASE_URL: 'mysql://user:hunter2@db/x',
        LOG_LEVEL: 'loud',
      });
    } catch (caught) {
      error = caught as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const names = error!.problems.map((p) => p.split(' ')[0]);
    expect(names).toEqual([
      'ETH_PRIVATE_KEY',
      'ENGINE_DATABASE_URL',
      'LOG_LEVEL',
      'ENGINE_PORT',
      'CONNECTOR_URL',
      'ETH_RPC_URL',
      'ETH_DEV_ACCOUNT',
      'ETH_CONFIRMATIONS',
      'ETH_POLL_INTERVAL_MS',
    ]);
    expect(error!.message).not.toContain(secret);
    expect(error!.message).not.toContain('hunter2');
  });

  it('accepts a private key with or without 0x', () => {
    const key = 'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
    expect(loadConfig({ ETH_PRIVATE_KEY: key }).privateKey).toBe(`0x${key}`);
    expect(loadConfig({ ETH_PRIVATE_KEY: `0x${key}` }).privateKey).toBe(`0x${key}`);
  });
});
