/**
 * Articles: merchants create, edit and delete them over their API; anyone may see an
 * article's public part (title, teaser, price, how much is paid), never its paid text.
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { spspEndpoint } from '@tollgate/spsp';
import { parseAmount, serializeAmount } from '../common/money/amount';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Merchant } from '../merchants/merchant.entity';
import { MerchantsService } from '../merchants/merchants.service';
import { ContentItem } from './content-item.entity';
import { ContentError, ContentErrorCode as Code } from './content.errors';
import { ContentRepository } from './content.repository';
import { CreateContentDto, UpdateContentDto } from './dto/create-content.dto';
import { ContentItemDto, ContentListDto, PublicContentDto } from './dto/content-views.dto';
import { PricingDto, PriceViewDto } from './dto/pricing.dto';

@Injectable()
export class ContentService {
  constructor(
    private readonly repository: ContentRepository,
    private readonly merchants: MerchantsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(merchant: Merchant, dto: CreateContentDto): Promise<ContentItemDto> {
    const item = Object.assign(new ContentItem(), {
      id: randomUUID(),
      merchantId: merchant.id,
      slug: dto.slug,
      title: dto.title,
      teaser: dto.teaser ?? [],
      paragraphs: dto.paragraphs,
      ...this.price(dto.pricing),
      externalPointer: this.pointer(dto.externalPointer),
    });
    if ((await this.repository.insertItem(item)) === 'duplicate') throw slugTaken(dto.slug);
    return itemView((await this.repository.findItem(merchant.id, item.id))!, merchant);
  }

  async list(merchant: Merchant): Promise<ContentListDto> {
    const items = await this.repository.listItems(merchant.id);
    return { data: items.map((i) => itemView(i, merchant)) };
  }

  async get(merchant: Merchant, id: string): Promise<ContentItemDto> {
    return itemView(await this.owned(merchant, id), merchant);
  }

  async update(merchant: Merchant, id: string, dto: UpdateContentDto): Promise<ContentItemDto> {
    const item = await this.owned(merchant, id);
    if (dto.slug !== undefined) item.slug = dto.slug;
    if (dto.title !== undefined) item.title = dto.title;
    if (dto.teaser !== undefined) item.teaser = dto.teaser;
    if (dto.paragraphs !== undefined) item.paragraphs = dto.paragraphs;
    if (dto.pricing !== undefined) Object.assign(item, this.price(dto.pricing));
    if (dto.externalPointer !== undefined) item.externalPointer = this.pointer(dto.externalPointer);
    if ((await this.repository.updateItem(item)) === 'duplicate') throw slugTaken(item.slug);
    return itemView((await this.repository.findItem(merchant.id, id))!, merchant);
  }

  /** Its sessions go with it (and with them, access to its text); the money stays received. */
  async remove(merchant: Merchant, id: string): Promise<void> {
    if (!(await this.repository.deleteItem(merchant.id, id))) throw unknownContent(id);
  }

  async publicView(merchantSlug: string | undefined, slug: string): Promise<PublicContentDto> {
    const { merchant, item } = await this.published(merchantSlug, slug);
    return {
      id: item.id,
      merchant: { name: merchant.name, slug: merchant.slug },
      slug: item.slug,
      title: item.title,
      teaser: item.teaser,
      pricing: priceView(item.pricePer, item.priceAmount, merchant),
      paidParagraphs: item.paragraphs.length,
      externalWallet: item.externalPointer !== null,
    };
  }

  /**
   * An article by its public address: merchant slug and article slug, or the article slug
   * alone for the node's default merchant (DEFAULT_MERCHANT, else the only merchant), as
   * `$host` itself pays that merchant.
   */
  async published(
    merchantSlug: string | undefined,
    slug: string,
  ): Promise<{ merchant: Merchant; item: ContentItem }> {
    const merchant =
      merchantSlug === undefined
        ? await this.defaultMerchant()
        : await this.merchants.findBySlug(merchantSlug);
    const item = merchant ? await this.repository.findItemBySlug(merchant.id, slug) : null;
    if (!merchant || !item) throw unknownContent(`${merchantSlug ?? '(default merchant)'}/${slug}`);
    return { merchant, item };
  }

  private async defaultMerchant(): Promise<Merchant | null> {
    if (this.config.defaultMerchant) return this.merchants.findBySlug(this.config.defaultMerchant);
    const all = await this.merchants.listEntities();
    return all.length === 1 ? all[0] : null;
  }

  private async owned(merchant: Merchant, id: string): Promise<ContentItem> {
    // Another merchant's article is as unknown as a missing one.
    const item = await this.repository.findItem(merchant.id, id);
    if (!item) throw unknownContent(id);
    return item;
  }

  private price(dto: PricingDto): Pick<ContentItem, 'pricePer' | 'priceAmount'> {
    const amount = parseAmount(dto.amount);
    if (amount === 0n) {
      throw new ContentError(Code.InvalidContent, 'pricing.amount must be greater than zero', [
        { field: 'pricing.amount', problems: ['must be greater than zero'] },
      ]);
    }
    return { pricePer: dto.per, priceAmount: amount };
  }

  private pointer(value: string | null | undefined): string | null {
    if (value === undefined || value === null) return null;
    try {
      spspEndpoint(value, { allowInsecure: this.config.allowInsecurePointers });
    } catch (error) {
      const why = (error as Error).message;
      throw new ContentError(
        Code.InvalidContent,
        `externalPointer must be a payment pointer ($wallet.example/alice) or an https URL: ${why}`,
        [{ field: 'externalPointer', problems: [why] }],
      );
    }
    return value;
  }
}

export function priceView(
  per: ContentItem['pricePer'],
  amount: bigint,
  merchant: Merchant,
): PriceViewDto {
  return {
    per,
    amount: serializeAmount(amount),
    assetCode: merchant.assetCode,
    assetScale: merchant.assetScale,
  };
}

function itemView(item: ContentItem, merchant: Merchant): ContentItemDto {
  return {
    id: item.id,
    slug: item.slug,
    title: item.title,
    teaser: item.teaser,
    paragraphs: item.paragraphs,
    pricing: priceView(item.pricePer, item.priceAmount, merchant),
    externalPointer: item.externalPointer,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
  };
}

function unknownContent(what: string): ContentError {
  return new ContentError(Code.UnknownContent, `no content ${what}`);
}

function slugTaken(slug: string): ContentError {
  return new ContentError(Code.SlugTaken, `you already have content with slug "${slug}"`, [
    { field: 'slug', problems: ['taken'] },
  ]);
}
