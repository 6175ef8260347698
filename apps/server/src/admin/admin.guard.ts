/** Admin routes need `Authorization: Bearer $ADMIN_TOKEN`. */
import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { AdminTokenService } from './admin-token.service';

@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly tokens: AdminTokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const token = bearerToken(request.headers.authorization);
    if (!token || !(await this.tokens.verify(token))) {
      throw new UnauthorizedException(
        'a valid admin token is required (Authorization: Bearer <ADMIN_TOKEN>)',
      );
    }
    return true;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
