import 'reflect-metadata';

import { exitAfterLogs, openServiceDatabase } from '@xai/common';
import type { VerifyAuditResponse } from '@xai/contracts';

import { loadAuditLogConfig } from './audit-log.config';
import { ChainVerifier } from './chain/chain-verifier';
import { AUDIT_LOG_SCHEMA } from './database/audit-log-schema';
import { AUDIT_LOG_ENTITIES, AUDIT_LOG_MIGRATIONS } from './database/database.module';

const USAGE = `Usage: audit-log verify [--tenant <id>] [--incremental] [--json]

Checks the hash chain of the audit trail (every tenant, or one) from its start and names the
first broken link. --incremental starts from where the last check verified instead (as
/x-audit/verify does), which finds edits of older rows only on a full check. Reads DATABASE_URL. Exit status: 0 when every chain holds, 1 when one is broken,
2 on a usage or connection error.`;

interface VerifyCommand {
  tenantId?: string;
  json: boolean;
  incremental: boolean;
}

/** Reads `verify [--tenant <id>] [--incremental] [--json]`; undefined otherwise. */
export function parseArguments(args: readonly string[]): VerifyCommand | undefined {
  const [command, ...rest] = args;
  if (command !== 'verify') return undefined;
  const parsed: VerifyCommand = { json: false, incremental: false };
  for (let index = 0; index < rest.length; index++) {
    const argument = rest[index];
    if (argument === '--json') parsed.json = true;
    else if (argument === '--incremental') parsed.incremental = true;
    else if (argument === '--tenant' && rest[index + 1]) parsed.tenantId = rest[++index];
    else if (argument.startsWith('--tenant=')) parsed.tenantId = argument.slice(9);
    else return undefined;
  }

  return parsed;
}

/** The verdict as lines a person reads. */
export function describeVerdict(result: VerifyAuditResponse): string {
  const lines = [
    `checked ${result.entriesChecked} entries of ${result.tenantsChecked} tenant chain(s)`,
  ];
  for (const head of result.heads) {
    const from = head.anchor ? `, checked from ${head.anchor} ${head.anchorSeq ?? 0}` : '';
    lines.push(`  ${head.tenantId}: head ${head.seq} ${head.hash}${from}`);
  }
  const broken = result.firstBroken;
  if (result.ok || !broken) return [...lines, 'OK: every chain holds'].join('\n');

  const what = broken.eventId ? `${broken.kind} event ${broken.eventId}` : 'no entry';
  lines.push(
    `BROKEN: tenant ${broken.tenantId}, position ${broken.seq} (${what}): ${broken.reason}`,
  );

  return lines.join('\n');
}

async function main(): Promise<number> {
  const command = parseArguments(process.argv.slice(2));
  if (!command) {
    process.stderr.write(`${USAGE}\n`);

    return 2;
  }
  const config = loadAuditLogConfig();
  const dataSource = await openServiceDatabase({
    url: config.DATABASE_URL,
    schema: AUDIT_LOG_SCHEMA,
    entities: AUDIT_LOG_ENTITIES,
    migrations: AUDIT_LOG_MIGRATIONS,
    poolMax: 1,
    runMigrations: false,
  });
  try {
    const result = await new ChainVerifier(dataSource).verify(command.tenantId, {
      full: !command.incremental,
    });
    const text = command.json ? JSON.stringify(result, null, 2) : describeVerdict(result);
    process.stdout.write(`${text}\n`);

    return result.ok ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().then(
    (code) => exitAfterLogs(code),
    (error: unknown) => {
      process.stderr.write(
        `audit verify failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      exitAfterLogs(2);
    },
  );
}
