/**
 * Errors of the connector's management API (accounts, routes, configuration). Packet
 * failures are never these: rules on the packet path throw `IlpError` and become Rejects.
 */
export enum ConnectorErrorCode {
  /** A configuration value is missing, of the wrong type or out of range. */
  InvalidConfig = 'InvalidConfig',
  /** No account with this id. */
  UnknownAccount = 'UnknownAccount',
  /** An account with this id exists already. */
  DuplicateAccount = 'DuplicateAccount',
  /** A route prefix that is not an ILP address or scheme, or one under `peer.`. */
  InvalidRoute = 'InvalidRoute',
  /** The connector (or its journal) has been stopped. */
  Stopped = 'Stopped',
  /** A peer-protocol request we sent (ILDCP, CCP) got a Reject or a malformed answer. */
  PeerProtocolFailed = 'PeerProtocolFailed',
}

export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';

  constructor(
    readonly code: ConnectorErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function invalidConfig(message: string): ConnectorError {
  return new ConnectorError(ConnectorErrorCode.InvalidConfig, message);
}
