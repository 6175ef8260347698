/**
 * Tollgate's schema, as hand-written migrations run in this order (file names carry the
 * timestamp). `synchronize` is never on: a schema change is a new file here, reviewed like
 * any other code, and added to this list.
 */
import { CreateNodeSettings1763708400000 } from './1763708400000-create-node-settings';
import { CreateAccountsAndBalanceJournal1763712000000 } from './1763712000000-create-accounts-and-balance-journal';
import { CreateMerchantsAndApiKeys1763715600000 } from './1763715600000-create-merchants-and-api-keys';
import { LocalAccountsAndJournalRefs1763719200000 } from './1763719200000-local-accounts-and-journal-refs';
import { CreateInvoices1763722800000 } from './1763722800000-create-invoices';
import { CreateSettlements1763726400000 } from './1763726400000-create-settlements';
import { CreateWebhooksAndPayments1763730000000 } from './1763730000000-create-webhooks-and-payments';
import { CreateContentAndSessions1763733600000 } from './1763733600000-create-content-and-sessions';

export const migrations = [
  CreateNodeSettings1763708400000,
  CreateAccountsAndBalanceJournal1763712000000,
  CreateMerchantsAndApiKeys1763715600000,
  LocalAccountsAndJournalRefs1763719200000,
  CreateInvoices1763722800000,
  CreateSettlements1763726400000,
  CreateWebhooksAndPayments1763730000000,
  CreateContentAndSessions1763733600000,
];
