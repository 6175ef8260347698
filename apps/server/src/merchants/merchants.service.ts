/**
 * Merchants and their API keys. A key is shown once, when it is made; only its hash is kept.
 * Authentication hashes the presented key and looks the hash up: no key is ever compared in
 * a way that leaks its content.
 */
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { generateToken, hashSecret } from '../admin/secret-hash';
import { Account } from '../connector/account.entity';
import { ConnectorService } from '../connector/connector.service';
import { ApiKey } from './api-key.entity';
import { CreateMerchantDto } from './dto/create-merchant.dto';
import { Merchant } from './merchant.entity';
import { MerchantError, MerchantErrorCode as Code } from './merchants.errors';
import { MerchantsRepository } from './merchants.repository';
import { MerchantEvents } from './merchant-events';

/** Paths the server serves itself, which a merchant's pointer (`$host/<slug>`) must not shadow. */
export const RESERVED_SLUGS = new Set([
  'api',
  'health',
  'metrics',
  'ilp',
  'btp',
  'docs',
  'checkout',
  'read',
  'dashboard',
  'wallet',
  'static',
  'assets',
  'favicon-ico',
  'well-known',
  'admin',
  'login',
  'pay',
  'invoices',
]);

export interface MerchantView {
  id: string;
  name: string;
  slug: string;
  assetCode: string;
  assetScale: number;
  createdAt: string;
}

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Key use is recorded at most this often per key, to keep a write off every request. */
const TOUCH_INTERVAL_MS = 60_000;

@Injectable()
export class MerchantsService {
  constructor(
    private readonly repository: MerchantsRepository,
    private readonly connector: ConnectorService,
    private readonly events: MerchantEvents,
  ) {}

  async create(dto: CreateMerchantDto): Promise<{ merchant: MerchantView; apiKey: string }> {
    if (RESERVED_SLUGS.has(dto.slug)) {
      throw new MerchantError(
        Code.SlugReserved,
        `slug "${dto.slug}" is reserved for the server's own paths`,
        [{ field: 'slug', problems: ['reserved'] }],
      );
    }
    const merchant = Object.assign(new Merchant(), {
      id: randomUUID(),
      name: dto.name,
      slug: dto.slug,
      assetCode: dto.assetCode,
      assetScale: dto.assetScale,
    });
    const { key, secret } = newKey(merchant.id, 'default');
    if (
      (await this.repository.insertWithKey(merchant, key, receivingAccount(merchant))) ===
      'duplicate'
    ) {
      throw new MerchantError(Code.SlugTaken, `slug "${dto.slug}" is taken`, [
        { field: 'slug', problems: ['taken'] },
      ]);
    }
    const stored = (await this.repository.findById(merchant.id))!;
    this.connector.register((await this.repository.findAccount(stored.slug))!);
    await this.events.created(stored);
    return { merchant: merchantView(stored), apiKey: secret };
  }

  async get(id: string): Promise<MerchantView> {
    const merchant = await this.repository.findById(id);
    if (!merchant) throw new MerchantError(Code.UnknownMerchant, `no merchant ${id}`);
    return merchantView(merchant);
  }

  async list(): Promise<MerchantView[]> {
    return (await this.repository.list()).map(merchantView);
  }

  async getEntity(id: string): Promise<Merchant> {
    const merchant = await this.repository.findById(id);
    if (!merchant) throw new MerchantError(Code.UnknownMerchant, `no merchant ${id}`);
    return merchant;
  }

  listEntities(): Promise<Merchant[]> {
    return this.repository.list();
  }

  findBySlug(slug: string): Promise<Merchant | null> {
    return this.repository.findBySlug(slug);
  }

  /** The merchant a presented API key belongs to, or undefined (unknown or revoked key). */
  async authenticate(apiKey: string): Promise<Merchant | undefined> {
    const found = await this.repository.findActiveKey(hashSecret(apiKey));
    if (!found) return undefined;
    const now = new Date();
    if (
      !found.key.lastUsedAt ||
      now.getTime() - found.key.lastUsedAt.getTime() > TOUCH_INTERVAL_MS
    ) {
      await this.repository.touchKey(found.key.id, now);
    }
    return found.merchant;
  }

  async createKey(merchantId: string, name = ''): Promise<{ key: ApiKeyView; apiKey: string }> {
    const { key, secret } = newKey(merchantId, name);
    await this.repository.insertKey(key);
    return { key: keyView(key), apiKey: secret };
  }

  async listKeys(merchantId: string): Promise<ApiKeyView[]> {
    return (await this.repository.listKeys(merchantId)).map(keyView);
  }

  /** Refuses to revoke the last live key: the merchant would be locked out for good. */
  async revokeKey(merchantId: string, keyId: string): Promise<void> {
    const live = (await this.repository.listKeys(merchantId)).filter((k) => k.revokedAt === null);
    if (!live.some((k) => k.id === keyId))
      throw new MerchantError(Code.UnknownKey, `no live key ${keyId}`);
    if (live.length === 1) {
      throw new MerchantError(
        Code.LastKey,
        'this is the last live key: create another one before revoking it',
      );
    }
    await this.repository.revokeKey(merchantId, keyId);
  }
}

/**
 * The connector account a merchant's money arrives on: id = slug, so its ILP address is
 * `<node>.<slug>` and payments to it cross the connector (FX, limits, the journal) like
 * any other hop; its link is the merchant's in-process STREAM receiver.
 */
function receivingAccount(merchant: Merchant): Account {
  return Object.assign(new Account(), {
    id: merchant.slug,
    assetCode: merchant.assetCode,
    assetScale: merchant.assetScale,
    relation: 'child',
    link: 'local',
    incomingTokenHash: null,
    outgoingUrl: null,
    outgoingToken: null,
    maxPacketAmount: null,
    minBalance: null,
    maxBalance: null,
    settleThreshold: null,
    settleTo: null,
    settlementEngineUrl: null,
    rateLimitPacketsPerSecond: null,
    rateLimitAmountPerSecond: null,
    sendRoutes: null,
    receiveRoutes: null,
    balance: 0n,
  });
}

function newKey(merchantId: string, name: string): { key: ApiKey; secret: string } {
  const secret = generateToken('tg_key');
  const key = Object.assign(new ApiKey(), {
    id: randomUUID(),
    merchantId,
    name,
    keyHash: hashSecret(secret),
    keyPrefix: secret.slice(0, 14),
    lastUsedAt: null,
    revokedAt: null,
  });
  return { key, secret };
}

export function merchantView(m: Merchant): MerchantView {
  return {
    id: m.id,
    name: m.name,
    slug: m.slug,
    assetCode: m.assetCode,
    assetScale: m.assetScale,
    createdAt: m.createdAt.toISOString(),
  };
}

function keyView(k: ApiKey): ApiKeyView {
  return {
    id: k.id,
    name: k.name,
    prefix: k.keyPrefix,
    createdAt: (k.createdAt ?? new Date()).toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}
