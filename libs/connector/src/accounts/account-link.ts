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
}
