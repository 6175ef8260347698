/** Structured JSON logs (pino). Nothing secret is ever passed to a log call; redaction is a second line. */
import pino, { type DestinationStream, type Logger } from 'pino';

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'tollgate-settlement-engine' },
      redact: { paths: ['*.privateKey', '*.databaseUrl', '*.rpcUrl'], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
