/**
 * @tollgate/settlement — the settlement engine API of RFC 38, both sides.
 *
 * - Quantities `{ amount: "<integer>", scale }` ⇄ `{ amount: bigint, scale }`, and scale
 *   conversion that keeps leftovers (`convertScale`).
 * - Clients: {@link SettlementEngineClient} (connector → engine) and
 *   {@link ConnectorSettlementClient} (engine → connector), with a retry helper.
 * - Servers: framework-free handlers for the engine's API and the connector's engine-facing
 *   API, with Idempotency-Key semantics over a narrow {@link IdempotencyStore} (memory or
 *   Postgres).
 *
 * See FACTS §11 and https://interledger.org/rfcs/0038-settlement-engines/.
 */
export {
  SETTLEMENT_ERROR_STATUS,
  SettlementError,
  SettlementErrorCode,
  type SettlementErrorCodeValue,
} from './settlement-error';
export {
  MAX_AMOUNT_DIGITS,
  MAX_SCALE,
  MAX_UINT64,
  convertScale,
  isValidScale,
  parseQuantity,
  serializeQuantity,
  type Quantity,
  type QuantityJson,
} from './quantity';
export { checkAccountId, checkIdempotencyKey, isValidAccountId } from './validation';
export {
  MemoryIdempotencyStore,
  PgIdempotencyStore,
  idempotencyTableDdl,
  requestFingerprint,
  type IdempotencyBegin,
  type IdempotencyStore,
  type IdempotencyStoreOptions,
  type SqlExecutor,
  type StoredResponse,
} from './idempotency';
export {
  ConnectorSettlementClient,
  IDEMPOTENCY_KEY_HEADER,
  SettlementEngineClient,
  SettlementHttpError,
  backoffDelay,
  retrySettlementCall,
  type RetryOptions,
  type SettlementClientOptions,
} from './settlement-http-client';
export {
  CONNECTOR_CREDIT_SCOPE,
  ENGINE_SETTLE_SCOPE,
  MAX_JSON_BODY,
  MAX_MESSAGE_BODY,
  createConnectorApi,
  createConnectorApiHandler,
  createEngineApi,
  createEngineApiHandler,
  errorResponse,
  type ConnectorSettlementHandlers,
  type EngineHandlers,
  type NodeRequestListener,
  type SettlementApi,
  type SettlementApiOptions,
  type SettlementHttpRequest,
  type SettlementHttpResponse,
} from './settlement-api';
