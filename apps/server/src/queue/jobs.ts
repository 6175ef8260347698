/**
 * Every background job the server runs, by name, with its payload. Payloads carry ids, never
 * money or state: a processor reads the row it is about and decides from the row's state,
 * which is what makes a retried, duplicated or interrupted job safe.
 */
export interface JobPayloads {
  /** Ask the account's settlement engine to settle one `settlements` row. */
  'settlement.send': { settlementId: string };
  /** Tell a settlement engine that an account was created or deleted (RFC 38 /accounts). */
  'settlement.account': { accountId: string; action: 'create' | 'delete'; engineUrl: string };
  /** One attempt of one webhook delivery, if the delivery row says one is due. */
  'webhook.deliver': { deliveryId: string };
}

export type JobName = keyof JobPayloads;
