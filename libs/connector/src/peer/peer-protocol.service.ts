/**
 * Peer protocols: packets to `peer.*` are for this node and the link they came on, and are
 * never forwarded (RFC 15, RFC 34).
 *
 * - `peer.config` (ILDCP, RFC 31): a child learns its address `<our address>.<account id>`
 *   and the asset of its link. Only children get one: an address under ours is only
 *   routable back to the account for children (peers and parents → F00).
 * - `peer.route.control` / `peer.route.update` (CCP): handed to the route broadcaster.
 * - `peer.settle` (RFC 38 message relay): handed to the app's settlement handler, reply data
 *   in the Fulfill. Accepts the peer-protocol condition and SHA-256 of empty input (RFC 38's
 *   defect, FACTS §11.4). No handler → F02 (no settlement engine here), as interledger-rs.
 * - any other `peer.*` → F01 "unknown peer protocol".
 * Except for peer.settle, the condition must be the peer-protocol one (F01 otherwise, as
 * ilp-connector checks before dispatching).
 */
import {
  childAddress,
  constantTimeEqual,
  fromHex,
  IlpError,
  IlpErrorCode,
  IlpPacketType,
  IlpReply,
  ildcpResponseFulfill,
  PEER_PROTOCOL_CONDITION,
  PEER_PROTOCOL_FULFILLMENT,
  validateIldcpRequest,
} from '@tollgate/ilp-core';
import { PacketContext } from '../chain/packet-context';
import { PacketService } from '../chain/packet-service';
import {
  CCP_CONTROL_DESTINATION,
  CCP_UPDATE_DESTINATION,
  ccpResponseFulfill,
  parseCcpRouteControlPrepare,
  parseCcpRouteUpdatePrepare,
} from '../ccp/ccp-codec';
import { RouteBroadcaster } from '../ccp/route-broadcaster';
import { NodeRuntime } from '../node-runtime';
import { Scheduler } from '../scheduler';

/**
 * The app's side of `peer.settle`: deliver the message to the account's settlement engine
 * (`POST /accounts/:id/messages`) and resolve with its reply. Throw an IlpError to choose the
 * Reject (its triggeredBy defaults to `peer.settle`).
 */
export type PeerSettleHandler = (accountId: string, message: Uint8Array) => Promise<Uint8Array>;

export const PEER_SETTLE_DESTINATION = 'peer.settle';
const ILDCP_DESTINATION = 'peer.config';
/** SHA-256 of empty input: the condition RFC 38 prints for peer.settle. */
const EMPTY_INPUT_CONDITION = fromHex(
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
);

export class PeerProtocolService implements PacketService {
  /** The app's peer.settle handler (settable after construction). */
  settleHandler: PeerSettleHandler | undefined;

  constructor(
    private readonly runtime: NodeRuntime,
    private readonly scheduler: Scheduler,
    private readonly ccp: RouteBroadcaster,
    settleHandler: PeerSettleHandler | undefined,
  ) {
    this.settleHandler = settleHandler;
  }

  async handle(ctx: PacketContext): Promise<IlpReply> {
    const prepare = ctx.prepare;
    const destination = prepare.destination;
    if (destination === PEER_SETTLE_DESTINATION) return this.settle(ctx);
    if (!constantTimeEqual(prepare.executionCondition, PEER_PROTOCOL_CONDITION)) {
      throw new IlpError(
        IlpErrorCode.F01_INVALID_PACKET,
        'condition must be peer protocol condition.',
      );
    }
    const now = this.scheduler.now();
    switch (destination) {
      case ILDCP_DESTINATION: {
        const invalid = validateIldcpRequest(prepare, { now });
        if (invalid !== null) throw invalid;
        const account = ctx.from;
        if (account.relation !== 'child') {
          throw new IlpError(
            IlpErrorCode.F00_BAD_REQUEST,
            'IL-DCP addresses are only assigned to child accounts.',
          );
        }
        return ildcpResponseFulfill({
          clientAddress: childAddress(this.runtime.address, account.id),
          assetScale: account.assetScale,
          assetCode: account.assetCode,
        });
      }
      case CCP_CONTROL_DESTINATION:
        this.ccp.handleControl(ctx.from.id, parseCcpRouteControlPrepare(prepare, { now }));
        return ccpResponseFulfill();
      case CCP_UPDATE_DESTINATION:
        this.ccp.handleUpdate(ctx.from.id, parseCcpRouteUpdatePrepare(prepare, { now }));
        return ccpResponseFulfill();
      default:
        throw new IlpError(IlpErrorCode.F01_INVALID_PACKET, 'unknown peer protocol.');
    }
  }

  private async settle(ctx: PacketContext): Promise<IlpReply> {
    const condition = ctx.prepare.executionCondition;
    if (
      !constantTimeEqual(condition, PEER_PROTOCOL_CONDITION) &&
      !constantTimeEqual(condition, EMPTY_INPUT_CONDITION)
    ) {
      throw new IlpError(
        IlpErrorCode.F01_INVALID_PACKET,
        'condition must be peer protocol condition.',
      );
    }
    if (this.scheduler.now() > ctx.prepare.expiresAt.getTime()) {
      throw new IlpError(IlpErrorCode.R00_TRANSFER_TIMED_OUT, 'peer.settle message is expired.');
    }
    const handler = this.settleHandler;
    if (handler === undefined) {
      throw new IlpError(
        IlpErrorCode.F02_UNREACHABLE,
        'no settlement engine is configured for this account',
        { triggeredBy: PEER_SETTLE_DESTINATION },
      );
    }
    let reply: Uint8Array;
    try {
      reply = await handler(ctx.from.id, ctx.prepare.data);
    } catch (error) {
      if (error instanceof IlpError) {
        if (error.triggeredBy !== undefined) throw error;
        throw new IlpError(error.code, error.message, {
          data: error.data,
          triggeredBy: PEER_SETTLE_DESTINATION,
        });
      }
      throw new IlpError(IlpErrorCode.T00_INTERNAL_ERROR, 'settlement engine error', {
        triggeredBy: PEER_SETTLE_DESTINATION,
      });
    }
    return { type: IlpPacketType.Fulfill, fulfillment: PEER_PROTOCOL_FULFILLMENT, data: reply };
  }
}
