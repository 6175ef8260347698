import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, PinoNestLogger } from './logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, stream };
}

describe('logger', () => {
  it('writes one JSON object per line with level, time and the Nest context', () => {
    const { lines, stream } = capture();
    new PinoNestLogger(createLogger('info', stream)).log('started', 'Bootstrap');
    expect(lines[0]).toMatchObject({
      level: 'info',
      msg: 'started',
      context: 'Bootstrap',
      service: 'tollgate',
    });
    expect(typeof lines[0].time).toBe('string');
  });

  it('redacts credentials wherever they appear', () => {
    const { lines, stream } = capture();
    const logger = createLogger('info', stream);
    logger.info({ req: { headers: { authorization: 'Bearer tg_admin_secret' } } }, 'request');
    logger.info({ peer: { token: 'btp-secret', id: 'alice' } }, 'peer');
    const text = JSON.stringify(lines);
    expect(text).not.toContain('tg_admin_secret');
    expect(text).not.toContain('btp-secret');
    expect(text).toContain('alice');
  });

  it("demotes Nest's start-up chatter to debug", () => {
    const { lines, stream } = capture();
    const logger = new PinoNestLogger(createLogger('info', stream));
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('ready', 'Bootstrap');
    expect(lines.map((l) => l.msg)).toEqual(['ready']);
  });

  it('honours the level', () => {
    const { lines, stream } = capture();
    const logger = new PinoNestLogger(createLogger('warn', stream));
    logger.log('hidden');
    logger.debug('hidden');
    logger.warn('shown');
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
  });
});
