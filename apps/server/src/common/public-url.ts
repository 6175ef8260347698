/**
 * The base URL people and wallets reach this server at, for payment pointers and links:
 * PUBLIC_URL when set (behind a proxy or TLS terminator), else what the request was sent to.
 */
import type { Request } from 'express';
import { AppConfig } from '../config/app-config';

export function publicBaseUrl(config: AppConfig, req: Request): string {
  if (config.publicUrl) return config.publicUrl;
  return `${req.protocol}://${req.get('host') ?? `localhost:${config.port}`}`;
}
