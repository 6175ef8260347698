import type { IlpPrepare, IlpReply } from '@tollgate/ilp-core';

/** What an in-process receiver answers: the reply, and optionally what the credit is for. */
export interface LocalDelivery {
  reply: IlpReply;
  /**
   * Journaled with this packet's credit to the account (e.g. the invoice the money pays),
   * in the same durable batch as the balance change, so money is attributed exactly once.
   */
  creditRef?: string;
  /**
   * Called once this packet's credit is durable (its journal batch committed), just before
   * the Fulfill goes upstream; never for a packet that does not end fulfilled. Lets the
   * receiver act on money only when it can no longer be lost (e.g. mark an invoice paid).
   */
  onDurable?: () => void;
}

/**
 * The outgoing half of a link (BTP, ILP-over-HTTP, an in-process peer): the connector
 * knows only this. The app registers one per account with `Connector.setLink` when the
 * link comes up and removes it when it goes down.
 */
export interface AccountLink {
  /**
   * Sends a serialized Prepare and resolves with the serialized Fulfill or Reject. Failures
   * of the link itself are thrown as `IlpError` (R00 timed out, T01 peer unreachable, F02 …);
   * the connector turns them into a Reject triggered by this node. Anything else thrown
   * becomes T00 and its message is not passed on. The connector enforces `expiresAt` itself;
   * a link may give up earlier.
   */
  send(prepare: Uint8Array, expiresAt: Date): Promise<Uint8Array>;
  /** False while the transport is down or reconnecting: packets routed here get T01. */
  readonly connected: boolean;
  /**
   * In-process receivers (a merchant's STREAM server) implement this and are called
   * instead of `send`: with the typed Prepare as it leaves this node (amount and expiry
   * set for this hop), so nothing is encoded only to be decoded again.
   */
  deliver?(prepare: IlpPrepare): Promise<LocalDelivery>;
}
