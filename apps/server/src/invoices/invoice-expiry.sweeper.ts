/**
 * Expires overdue invoices even when nobody reads them (no checkout page open, no payment
 * arriving): every SWEEP_INTERVAL_MS each instance claims a batch of overdue open invoices
 * (`FOR UPDATE SKIP LOCKED`, so instances never take the same rows) once they are two
 * seconds past expiry (money accepted in time may still be on its way to the journal) and
 * settles them — paid if the journal covers them, else expired — running the transition
 * hooks, so
 * `invoice.expired` is recorded exactly once.
 */
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { IntervalTask } from '../common/interval-task';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EXPIRY_GRACE_MS, InvoicesService } from './invoices.service';

const BATCH = 100;

@Injectable()
export class InvoiceExpirySweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('InvoiceExpiry');
  private readonly task: IntervalTask;

  constructor(
    private readonly invoices: InvoicesService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.task = new IntervalTask(
      config.sweepIntervalMs,
      () => this.sweep(),
      (error) => this.logger.error({ err: error, msg: 'invoice expiry sweep failed' }),
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  /** One sweep: batches until no overdue invoice is left. */
  async sweep(): Promise<void> {
    while ((await this.invoices.settleOverdue(BATCH, EXPIRY_GRACE_MS)) === BATCH) {
      // more may be waiting
    }
  }
}
