/**
 * The content module's only door to the database: articles, sessions, receipt nonces and
 * receipt totals, and what the journal says each session's connections received.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { ContentItem } from './content-item.entity';
import { ContentSession } from './content-session.entity';
import type { Meter } from './session-meter';

/** Journal refs of a session's STREAM connections start with this. */
export function sessionRefPrefix(sessionId: string): string {
  return `s.${sessionId}.`;
}

export type ReceiptRecord =
  { outcome: 'counted'; previous: bigint } | { outcome: 'not-increasing'; highest: bigint };

@Injectable()
export class ContentRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(ContentItem) private readonly items: Repository<ContentItem>,
    @InjectRepository(ContentSession) private readonly sessions: Repository<ContentSession>,
  ) {}

  /** 'duplicate' when the merchant already has an article with this slug. */
  async insertItem(item: ContentItem): Promise<'ok' | 'duplicate'> {
    return uniqueViolation(() => this.items.insert(item));
  }

  async updateItem(item: ContentItem): Promise<'ok' | 'duplicate'> {
    return uniqueViolation(() =>
      this.items.update(
        { id: item.id, merchantId: item.merchantId },
        {
          slug: item.slug,
          title: item.title,
          teaser: item.teaser,
          paragraphs: item.paragraphs,
          pricePer: item.pricePer,
          priceAmount: item.priceAmount,
          externalPointer: item.externalPointer,
        },
      ),
    );
  }

  findItem(merchantId: string, id: string): Promise<ContentItem | null> {
    return this.items.findOneBy({ merchantId, id });
  }

  findItemById(id: string): Promise<ContentItem | null> {
    return this.items.findOneBy({ id });
  }

  findItemBySlug(merchantId: string, slug: string): Promise<ContentItem | null> {
    return this.items.findOneBy({ merchantId, slug });
  }

  listItems(merchantId: string): Promise<ContentItem[]> {
    return this.items.find({ where: { merchantId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  async deleteItem(merchantId: string, id: string): Promise<boolean> {
    const result = await this.items.delete({ merchantId, id });
    return (result.affected ?? 0) > 0;
  }

  async insertSession(session: ContentSession): Promise<void> {
    await this.sessions.insert(session);
  }

  findSession(id: string): Promise<ContentSession | null> {
    return this.sessions.findOneBy({ id });
  }

  /**
   * Moves a session's meter under a row lock, so two beats at once never charge the same
   * interval twice. `next` gets the session and its verified money and returns the new meter.
   */
  updateMeter(
    id: string,
    next: (session: ContentSession, paid: bigint, receipts: bigint) => Meter,
  ): Promise<{ session: ContentSession; paid: bigint; receipts: bigint } | undefined> {
    return this.dataSource.transaction(async (em) => {
      const session = await em
        .getRepository(ContentSession)
        .createQueryBuilder('s')
        .setLock('pessimistic_write')
        .where('s.id = :id', { id })
        .getOne();
      if (!session) return undefined;
      const { paid, receipts } = await this.money(em, session);
      const meter = next(session, paid, receipts);
      if (meter.usedMs !== session.usedMs || meter.lastBeatMs !== session.lastBeatMs) {
        await em
          .getRepository(ContentSession)
          .update({ id }, { usedMs: meter.usedMs, lastBeatMs: meter.lastBeatMs });
        session.usedMs = meter.usedMs;
        session.lastBeatMs = meter.lastBeatMs;
      }
      return { session, paid, receipts };
    });
  }

  /** What the journal recorded for the session's connections (this node's own pointer). */
  async journalPaid(sessionId: string, em: EntityManager = this.dataSource.manager) {
    const rows: { paid: string }[] = await em.query(
      `SELECT coalesce(sum(delta), 0)::text AS paid FROM balance_journal WHERE ref LIKE $1`,
      [`${sessionRefPrefix(sessionId)}%`],
    );
    return BigInt(rows[0].paid);
  }

  async insertNonce(nonce: Uint8Array, sessionId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO content_receipt_nonces (nonce, session_id) VALUES ($1, $2)`,
      [Buffer.from(nonce), sessionId],
    );
  }

  /** The session a receipt nonce was handed out for, if this node issued it. */
  async nonceSession(nonce: Uint8Array): Promise<string | undefined> {
    const rows: { session_id: string }[] = await this.dataSource.query(
      `SELECT session_id FROM content_receipt_nonces WHERE nonce = $1`,
      [Buffer.from(nonce)],
    );
    return rows[0]?.session_id;
  }

  /**
   * Keeps the highest verified total per (nonce, stream): a total above it is counted (the
   * increase over `previous`), anything else is a replay or a stale receipt.
   */
  recordReceipt(
    nonce: Uint8Array,
    streamId: number,
    sessionId: string,
    total: bigint,
  ): Promise<ReceiptRecord> {
    const key = Buffer.from(nonce);
    return this.dataSource.transaction(async (em) => {
      await em.query(
        `INSERT INTO content_receipt_totals (nonce, stream_id, session_id, total)
         VALUES ($1, $2, $3, 0) ON CONFLICT (nonce, stream_id) DO NOTHING`,
        [key, streamId, sessionId],
      );
      const rows: { total: string }[] = await em.query(
        `SELECT total::text AS total FROM content_receipt_totals
          WHERE nonce = $1 AND stream_id = $2 FOR UPDATE`,
        [key, streamId],
      );
      const highest = BigInt(rows[0].total);
      if (total <= highest) return { outcome: 'not-increasing', highest };
      await em.query(
        `UPDATE content_receipt_totals SET total = $3, updated_at = now()
          WHERE nonce = $1 AND stream_id = $2`,
        [key, streamId, total.toString()],
      );
      return { outcome: 'counted', previous: highest };
    });
  }

  /**
   * A session's verified money: its journal credits for this node's own pointer, its
   * verified receipts for an external wallet (whose packets this node never sees).
   */
  async money(
    em: EntityManager,
    session: ContentSession,
  ): Promise<{ paid: bigint; receipts: bigint }> {
    const rows: { receipts: string }[] = await em.query(
      `SELECT coalesce(sum(total), 0)::text AS receipts FROM content_receipt_totals WHERE session_id = $1`,
      [session.id],
    );
    const receipts = BigInt(rows[0].receipts);
    const paid = session.externalPointer ? receipts : await this.journalPaid(session.id, em);
    return { paid, receipts };
  }
}

async function uniqueViolation(run: () => Promise<unknown>): Promise<'ok' | 'duplicate'> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return 'duplicate';
    throw error;
  }
}
