import { describe, expect, it } from 'vitest';
import { parseCommandArgs, parseDuration, parseFraction, serverUrl } from './args';
import { UsageError } from './cli-error';

describe('CLI arguments', () => {
  const positionals = { min: 1, max: 2, names: 'the thing' };

  it('parses options and positionals strictly', () => {
    const args = parseCommandArgs(
      ['a', '--limit', '5', 'b', '--json'],
      { limit: { type: 'string' } },
      'x',
      positionals,
    );
    expect(args.positionals).toEqual(['a', 'b']);
    expect(args.values).toMatchObject({ limit: '5', json: true });
  });

  it.each([
    [['a', '--nope'], "Unknown option '--nope'"],
    [[], 'missing the thing'],
    [['a', 'b', 'c'], 'unexpected argument "c"'],
    [['a', '--limit'], "Option '--limit <value>' argument missing"],
  ])('refuses %j as a usage error', (argv, message) => {
    const parse = () => parseCommandArgs(argv, { limit: { type: 'string' } }, 'x', positionals);
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(message);
  });

  it('lets --help through without its positionals', () => {
    expect(parseCommandArgs(['--help'], {}, 'x', positionals).values.help).toBe(true);
  });

  it.each([
    ['15m', 900_000],
    ['30', 30_000],
    ['30s', 30_000],
    ['250ms', 250],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
  ])('reads the duration %s', (text, ms) => {
    expect(parseDuration(text, '--timeout')).toBe(ms);
  });

  it.each(['0', '0s', '-1m', '1.5m', '15 m', 'm', '', '1w'])('refuses the duration %j', (text) => {
    expect(() => parseDuration(text, '--timeout')).toThrow(UsageError);
  });

  it('keeps fractions as exact decimal strings', () => {
    expect(parseFraction('0.01', '--max-slippage')).toBe('0.01');
    expect(parseFraction('.5', '--max-slippage')).toBe('0.5');
    expect(parseFraction('0', '--max-slippage')).toBe('0');
    for (const bad of ['1', '1.5', '-0.1', '1e-2', '0.1.2', '']) {
      expect(() => parseFraction(bad, '--max-slippage')).toThrow(UsageError);
    }
  });

  it('takes the server from the option, then TOLLGATE_URL, then localhost', () => {
    const none = { values: {}, positionals: [] };
    expect(serverUrl(none, {})).toBe('http://localhost:8080');
    expect(serverUrl(none, { TOLLGATE_URL: 'https://pay.example.com/' })).toBe(
      'https://pay.example.com',
    );
    expect(
      serverUrl(
        { values: { server: 'http://127.0.0.1:9000' }, positionals: [] },
        { TOLLGATE_URL: 'x' },
      ),
    ).toBe('http://127.0.0.1:9000');
    expect(() => serverUrl(none, { TOLLGATE_URL: 'ftp://x' })).toThrow(UsageError);
    expect(() => serverUrl(none, { TOLLGATE_URL: 'http://u:p@x' })).toThrow(UsageError);
  });
});
