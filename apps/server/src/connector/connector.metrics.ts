/**
 * Turns the connector's observer hooks into Prometheus metrics and log lines. Labels stay
 * bounded: reject codes and route sources, never account ids or addresses.
 */
import { LoggerService } from '@nestjs/common';
import { ConnectorEvents } from '@tollgate/connector';
import { Counter, Histogram, Registry } from 'prom-client';

export class ConnectorMetrics {
  private readonly packets: Counter<'result' | 'code'>;
  private readonly journalLag: Histogram;
  private readonly journalBatchSize: Histogram;
  private readonly journalErrors: Counter;
  private readonly settlementsNeeded: Counter;

  constructor(
    registry: Registry,
    private readonly logger: LoggerService,
  ) {
    this.packets = new Counter({
      name: 'tollgate_ilp_packets_total',
      help: 'ILP Prepares answered by the connector, by result and reject code',
      labelNames: ['result', 'code'],
      registers: [registry],
    });
    this.journalLag = new Histogram({
      name: 'tollgate_journal_lag_seconds',
      help: 'Time from a balance change to its batch being durable in Postgres',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    });
    this.journalBatchSize = new Histogram({
      name: 'tollgate_journal_batch_entries',
      help: 'Balance changes per group-commit batch',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 1000, 5000],
      registers: [registry],
    });
    this.journalErrors = new Counter({
      name: 'tollgate_journal_errors_total',
      help: 'Failed journal appends (each is retried until it succeeds)',
      registers: [registry],
    });
    this.settlementsNeeded = new Counter({
      name: 'tollgate_settlements_needed_total',
      help: 'Times a committed balance went above its settle threshold',
      registers: [registry],
    });
  }

  events(): ConnectorEvents {
    return {
      packetFulfilled: () => this.packets.inc({ result: 'fulfilled', code: '' }),
      packetRejected: (_from, _to, code) => this.packets.inc({ result: 'rejected', code }),
      journalFlushed: (info) => {
        this.journalLag.observe(info.waitMs / 1000);
        this.journalBatchSize.observe(info.queued);
      },
      journalError: (error, info) => {
        this.journalErrors.inc();
        this.logger.error({ err: error, ...info, msg: 'journal append failed; retrying' });
      },
      settlementNeeded: (accountId, balance) => {
        this.settlementsNeeded.inc();
        this.logger.log({
          accountId,
          balance: balance.toString(),
          msg: 'balance above settle threshold',
        });
      },
      routeChanged: (prefix, nextHop, source) => {
        this.logger.debug?.({ prefix, nextHop, source, msg: 'route changed' });
      },
      ccpError: (accountId, error) => {
        this.logger.warn({ accountId, err: error, msg: 'CCP request failed; will retry' });
      },
    };
  }
}
