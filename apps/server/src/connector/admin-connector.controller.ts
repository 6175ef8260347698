/** Admin REST for the connector (contract in DESIGN.md): accounts, static routes, rates. */
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  UseGuards,
} from '@nestjs/common';
import { AdminGuard } from '../admin/admin.guard';
import { AccountView } from './account-view';
import { ConnectorAdminService, RoutingEntry } from './connector-admin.service';
import { CreateAccountDto } from './dto/create-account.dto';
import { CreateRouteDto } from './dto/create-route.dto';

@Controller('api/admin')
@UseGuards(AdminGuard)
export class AdminConnectorController {
  constructor(private readonly admin: ConnectorAdminService) {}

  @Post('accounts')
  createAccount(@Body() body: CreateAccountDto): Promise<AccountView> {
    return this.admin.createAccount(body);
  }

  @Get('accounts')
  listAccounts(): Promise<AccountView[]> {
    return this.admin.listAccounts();
  }

  @Get('accounts/:id')
  getAccount(@Param('id') id: string): Promise<AccountView> {
    return this.admin.getAccount(id);
  }

  @Delete('accounts/:id')
  @HttpCode(204)
  deleteAccount(@Param('id') id: string): Promise<void> {
    return this.admin.deleteAccount(id);
  }

  @Post('routes')
  addRoute(@Body() body: CreateRouteDto): Promise<{ prefix: string; accountId: string }> {
    return this.admin.addRoute(body);
  }

  @Get('routes')
  listRoutes(): Promise<{ prefix: string; accountId: string }[]> {
    return this.admin.listRoutes();
  }

  @Delete('routes/:prefix')
  @HttpCode(204)
  deleteRoute(@Param('prefix') prefix: string): Promise<void> {
    return this.admin.deleteRoute(prefix);
  }

  /** The live routing table: the best route per prefix, whatever its source (static, local, CCP). */
  @Get('routing')
  routing(): RoutingEntry[] {
    return this.admin.routingTable();
  }

  /** The whole rate table, e.g. { "USD": "1", "EUR": "1.08" }: value of one unit in a common base. */
  @Put('rates')
  setRates(@Body() body: Record<string, unknown>): Promise<Record<string, string>> {
    return this.admin.setRates(body);
  }

  @Get('rates')
  getRates(): Record<string, string> {
    return this.admin.getRates();
  }
}
