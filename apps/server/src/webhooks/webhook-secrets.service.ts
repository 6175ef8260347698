/**
 * Webhook signing secrets: generated here, shown once, kept encrypted under a node key.
 * The key is 32 random bytes in node_settings, made by the first instance that needs it
 * and shared by all. (It sits in the same database as the values it protects, so it guards
 * against leaks of dumps and replicas of the webhook tables, not of the whole database.)
 */
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { NodeSetting } from '../admin/node-setting.entity';
import { open, seal } from './secret-box';

const KEY_SETTING = 'webhook_secret_key';

@Injectable()
export class WebhookSecretsService {
  private key: Promise<Buffer> | undefined;

  constructor(@InjectRepository(NodeSetting) private readonly settings: Repository<NodeSetting>) {}

  /** A new secret, and its sealed form for the database. */
  async generate(): Promise<{ secret: string; sealed: string }> {
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    return { secret, sealed: seal(await this.nodeKey(), secret) };
  }

  async reveal(sealed: string): Promise<string> {
    return open(await this.nodeKey(), sealed);
  }

  private nodeKey(): Promise<Buffer> {
    this.key ??= this.load().catch((error: unknown) => {
      this.key = undefined;
      throw error;
    });
    return this.key;
  }

  private async load(): Promise<Buffer> {
    // The first instance to insert wins; everyone then reads the winner.
    await this.settings
      .createQueryBuilder()
      .insert()
      .values({ key: KEY_SETTING, value: randomBytes(32).toString('base64') })
      .orIgnore()
      .execute();
    const row = await this.settings.findOneByOrFail({ key: KEY_SETTING });
    return Buffer.from(row.value, 'base64');
  }
}
