import 'reflect-metadata';
import { openServiceDatabase } from '@xai/common';
import { createScratchDatabase } from '@xai/devstack';

import { auditEvent } from './audit-events';
import { ChainAppender } from '../src/chain/chain-appender';
import { ChainVerifier } from '../src/chain/chain-verifier';
import { AUDIT_LOG_SCHEMA } from '../src/database/audit-log-schema';
import { AUDIT_LOG_ENTITIES, AUDIT_LOG_MIGRATIONS } from '../src/database/database.module';
import { toRequestEventRow } from '../src/request-events/request-event.row';

async function main() {
  const n = Number(process.argv[2] ?? 50000);
  const database = await createScratchDatabase('xai_audit');
  const ds = await openServiceDatabase({ url: database.url, schema: AUDIT_LOG_SCHEMA, entities: AUDIT_LOG_ENTITIES, migrations: AUDIT_LOG_MIGRATIONS, poolMax: 2 });
  try {
    const appender = new ChainAppender(ds);
    let t = Date.now();
    for (let i = 0; i < n; i += 1000) {
      await appender.appendMany(Array.from({ length: 1000 }, () => ({ kind: 'request' as const, row: toRequestEventRow(auditEvent({ tenantId: 'big' })) })));
    }
    console.log('append', n, Date.now() - t, 'ms');
    const v = new ChainVerifier(ds);
    t = Date.now();
    const full = await v.verify('big', { full: true });
    console.log('full verify', full.ok, full.entriesChecked, Date.now() - t, 'ms');
    t = Date.now();
    const inc = await v.verify('big');
    console.log('incremental verify', inc.ok, inc.entriesChecked, Date.now() - t, 'ms', JSON.stringify(inc.heads[0]));
  } finally {
    await ds.destroy();
    await database.drop();
  }
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
