/**
 * Finds payments in the journal and announces them with `payment.received`.
 *
 * What a "payment" is: the money one STREAM connection delivered to a merchant — to its
 * payment pointer or to one of its invoices. A connection is announced once it has received
 * nothing for PAYMENT_QUIET_MS (senders pay in many packets; one event per packet would
 * flood receivers, and a connection's close is not reliably seen: a sender may just stop).
 * If the same connection delivers more after that, the addition is announced as another
 * `payment.received` (`amount` = the addition, `totalReceived` = the connection's total),
 * so announced amounts always add up to what the journal holds, and none is announced twice
 * (dedup key `payment.received:<ref>:<total>`).
 *
 * Durable and shared: it reads the journal (not this instance's memory), one instance at a
 * time (the cursor row is claimed with `FOR UPDATE SKIP LOCKED`), and records the events in
 * the transaction that marks the payment announced.
 */
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { IntervalTask } from '../common/interval-task';
import { serializeAmount } from '../common/money/amount';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { WebhookEvents } from '../webhooks/webhook-events.service';
import { paymentView, PaymentView } from './payment-view';
import { PaymentsRepository } from './payments.repository';

const BATCH = 200;

/** `data` of `payment.received`. */
export interface PaymentEventData {
  payment: Omit<PaymentView, 'amount'> & { amount: string; totalReceived: string };
}

@Injectable()
export class PaymentsSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Payments');
  private readonly task: IntervalTask;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: PaymentsRepository,
    private readonly events: WebhookEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.task = new IntervalTask(
      config.sweepIntervalMs,
      () => this.run(),
      (error) => this.logger.error({ err: error, msg: 'payments sweep failed' }),
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  /** One sweep (also run by tests and the dashboard to be up to date). */
  sweep(): Promise<void> {
    return this.task.runNow();
  }

  private async run(): Promise<void> {
    const after: (() => void)[] = [];
    await this.dataSource.transaction(async (tx) => {
      if (!(await this.repository.claimCursor(tx))) return;
      await this.repository.catchUp(tx);
      const quiet = await this.repository.quietUnannounced(tx, this.config.paymentQuietMs, BATCH);
      for (const p of quiet) {
        const view = paymentView(p);
        const data: PaymentEventData = {
          payment: {
            ...view,
            amount: serializeAmount(p.amount - p.announced),
            totalReceived: view.amount,
          },
        };
        const recorded = await this.events.record(
          tx,
          p.merchantId,
          'payment.received',
          data,
          `payment.received:${p.ref}:${p.amount}`,
        );
        after.push(recorded.afterCommit);
        await this.repository.markAnnounced(tx, p.ref, p.amount);
      }
    });
    for (const callback of after) callback();
  }
}
