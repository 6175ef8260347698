/**
 * Secrets the node derives receiver credentials from. They must be usable (not hashes), are
 * generated once, shared by every instance through node_settings, and never logged.
 */
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { NodeSetting } from '../admin/node-setting.entity';

const STREAM_SECRET = 'stream_server_secret';

@Injectable()
export class NodeSecretsService {
  private stream: Promise<Buffer> | undefined;

  constructor(@InjectRepository(NodeSetting) private readonly settings: Repository<NodeSetting>) {}

  /** 32 bytes behind every STREAM address and shared secret this node hands out. */
  streamSecret(): Promise<Buffer> {
    this.stream ??= this.load(STREAM_SECRET).catch((error: unknown) => {
      this.stream = undefined;
      throw error;
    });
    return this.stream;
  }

  private async load(key: string): Promise<Buffer> {
    // The first instance to insert wins; everyone then reads the winner.
    await this.settings
      .createQueryBuilder()
      .insert()
      .values({ key, value: randomBytes(32).toString('base64') })
      .orIgnore()
      .execute();
    const row = await this.settings.findOneByOrFail({ key });
    return Buffer.from(row.value, 'base64');
  }
}
