/**
 * Owns the admin token. Only its hash is stored (node_settings), shared by every instance.
 * ADMIN_TOKEN, when set, is the token (and replaces any stored one); when unset, the first
 * start generates one and hands it to the bootstrap to print once.
 */
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { NodeSetting } from './node-setting.entity';
import { generateToken, hashSecret, secretMatches } from './secret-hash';

const ADMIN_TOKEN_HASH = 'admin_token_hash';

export type AdminTokenOrigin =
  /** From the ADMIN_TOKEN variable. */
  | { kind: 'environment' }
  /** Generated on this start: the only time it can be shown. */
  | { kind: 'generated'; token: string }
  /** Generated on an earlier start and printed then. */
  | { kind: 'stored' };

@Injectable()
export class AdminTokenService {
  private hash: string | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(NodeSetting) private readonly settings: Repository<NodeSetting>,
  ) {}

  /** Makes sure a token exists; called once at start, before the server listens. */
  async ensure(): Promise<AdminTokenOrigin> {
    if (this.config.adminToken) {
      this.hash = hashSecret(this.config.adminToken);
      await this.save(this.hash);
      return { kind: 'environment' };
    }
    const stored = await this.settings.findOneBy({ key: ADMIN_TOKEN_HASH });
    if (stored) {
      this.hash = stored.value;
      return { kind: 'stored' };
    }
    const token = generateToken('tg_admin');
    const hash = hashSecret(token);
    // Two instances starting together on a fresh database: the first insert wins and the
    // other instance must use that token, not its own.
    await this.settings
      .createQueryBuilder()
      .insert()
      .values({ key: ADMIN_TOKEN_HASH, value: hash })
      .orIgnore()
      .execute();
    const winner = await this.settings.findOneByOrFail({ key: ADMIN_TOKEN_HASH });
    this.hash = winner.value;
    return winner.value === hash ? { kind: 'generated', token } : { kind: 'stored' };
  }

  async verify(token: string): Promise<boolean> {
    if (this.hash === undefined) {
      // Another instance may have rotated it; read the shared row.
      const stored = await this.settings.findOneBy({ key: ADMIN_TOKEN_HASH });
      if (!stored) return false;
      this.hash = stored.value;
    }
    return secretMatches(token, this.hash);
  }

  private async save(hash: string): Promise<void> {
    await this.settings.upsert({ key: ADMIN_TOKEN_HASH, value: hash, updatedAt: new Date() }, [
      'key',
    ]);
  }
}
