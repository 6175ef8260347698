/** `GET /api/webhooks/:id/deliveries` query: page size and cursor. */
import { PageQuery } from '../../common/dto/page.query';

export class ListDeliveriesQuery extends PageQuery {}
