import { Inject, Injectable } from '@nestjs/common';
import type { ModelPrice } from '@xai/pricing';
import { DataSource } from 'typeorm';

import { AUDIT_LOG_SCHEMA } from '../database/audit-log-schema';
import { AUDIT_WRITER_ROLE } from '../database/trail-access';

const TABLE = `"${AUDIT_LOG_SCHEMA}"."price_overrides"`;

interface OverrideRow {
  model: string;
  input_per_mtok: string;
  cached_input_per_mtok: string | null;
  output_per_mtok: string;
  reasoning_per_mtok: string | null;
}

/** A tenant's own prices (`price_overrides`), one per model name (lowercase). */
@Injectable()
export class PriceOverridesRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The tenant's overrides, by model name. */
  async list(tenantId: string): Promise<ModelPrice[]> {
    const rows = await this.dataSource.query<OverrideRow[]>(
      `SELECT * FROM ${TABLE} WHERE "tenant_id" = $1 ORDER BY "model"`,
      [tenantId],
    );

    return rows.map(toModelPrice);
  }

  /** Stores (or replaces) an override; resolves to the one it replaced. */
  async upsert(tenantId: string, price: ModelPrice): Promise<ModelPrice | undefined> {
    return this.asWriter(async (query) => {
      const previous = await this.lockedOverride(query, tenantId, price.model);
      await query(
        `INSERT INTO ${TABLE} ("tenant_id", "model", "input_per_mtok", "cached_input_per_mtok",
           "output_per_mtok", "reasoning_per_mtok") VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT ("tenant_id", "model") DO UPDATE SET
           "input_per_mtok" = EXCLUDED."input_per_mtok",
           "cached_input_per_mtok" = EXCLUDED."cached_input_per_mtok",
           "output_per_mtok" = EXCLUDED."output_per_mtok",
           "reasoning_per_mtok" = EXCLUDED."reasoning_per_mtok",
           "updated_at" = now()`,
        [
          tenantId,
          price.model,
          price.input,
          price.cachedInput ?? null,
          price.output,
          price.reasoning ?? null,
        ],
      );

      return previous;
    });
  }

  /** Removes an override; resolves to it, or undefined when there was none. */
  async remove(tenantId: string, model: string): Promise<ModelPrice | undefined> {
    return this.asWriter(async (query) => {
      const previous = await this.lockedOverride(query, tenantId, model);
      await query(`DELETE FROM ${TABLE} WHERE "tenant_id" = $1 AND "model" = $2`, [
        tenantId,
        model,
      ]);

      return previous;
    });
  }

  private async lockedOverride(
    query: (sql: string, parameters?: unknown[]) => Promise<unknown>,
    tenantId: string,
    model: string,
  ): Promise<ModelPrice | undefined> {
    const rows = (await query(
      `SELECT * FROM ${TABLE} WHERE "tenant_id" = $1 AND "model" = $2 FOR UPDATE`,
      [tenantId, model],
    )) as OverrideRow[];

    return rows[0] ? toModelPrice(rows[0]) : undefined;
  }

  private async asWriter<T>(
    work: (query: (sql: string, parameters?: unknown[]) => Promise<unknown>) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL ROLE ${AUDIT_WRITER_ROLE}`);

      return work((sql, parameters) => manager.query(sql, parameters));
    });
  }
}

function toModelPrice(row: OverrideRow): ModelPrice {
  return {
    model: row.model,
    input: row.input_per_mtok,
    output: row.output_per_mtok,
    ...(row.cached_input_per_mtok === null ? {} : { cachedInput: row.cached_input_per_mtok }),
    ...(row.reasoning_per_mtok === null ? {} : { reasoning: row.reasoning_per_mtok }),
  };
}
