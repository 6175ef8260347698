/** The merchants module's only door to the database. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Repository } from 'typeorm';
import { Account } from '../connector/account.entity';
import { ApiKey } from './api-key.entity';
import { Merchant } from './merchant.entity';

@Injectable()
export class MerchantsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Merchant) private readonly merchants: Repository<Merchant>,
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
  ) {}

  /**
   * Inserts a merchant, its first key and the connector account its money arrives on, all
   * or nothing; 'duplicate' when the slug is taken (by a merchant or by another account).
   */
  async insertWithKey(
    merchant: Merchant,
    key: ApiKey,
    account: Account,
  ): Promise<'ok' | 'duplicate'> {
    try {
      await this.dataSource.transaction(async (manager) => {
        await manager.insert(Merchant, merchant);
        await manager.insert(ApiKey, key);
        await manager.insert(Account, account);
      });
      return 'ok';
    } catch (error) {
      if ((error as { code?: string }).code === '23505') return 'duplicate';
      throw error;
    }
  }

  findById(id: string): Promise<Merchant | null> {
    return this.merchants.findOneBy({ id });
  }

  findBySlug(slug: string): Promise<Merchant | null> {
    return this.merchants.findOneBy({ slug });
  }

  findAccount(id: string): Promise<Account | null> {
    return this.dataSource.getRepository(Account).findOneBy({ id });
  }

  list(): Promise<Merchant[]> {
    return this.merchants.find({ order: { createdAt: 'ASC' } });
  }

  async insertKey(key: ApiKey): Promise<void> {
    await this.keys.insert(key);
  }

  /** The live (not revoked) key with this hash, and its merchant. */
  async findActiveKey(keyHash: string): Promise<{ key: ApiKey; merchant: Merchant } | null> {
    const key = await this.keys.findOneBy({ keyHash, revokedAt: IsNull() });
    if (!key) return null;
    const merchant = await this.merchants.findOneBy({ id: key.merchantId });
    return merchant ? { key, merchant } : null;
  }

  listKeys(merchantId: string): Promise<ApiKey[]> {
    return this.keys.find({ where: { merchantId }, order: { createdAt: 'ASC' } });
  }

  /** Revokes one of this merchant's keys; false when it has no such live key. */
  async revokeKey(merchantId: string, keyId: string): Promise<boolean> {
    const result = await this.keys.update(
      { id: keyId, merchantId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
    return (result.affected ?? 0) > 0;
  }

  async touchKey(keyId: string, at: Date): Promise<void> {
    await this.keys.update({ id: keyId }, { lastUsedAt: at });
  }
}
