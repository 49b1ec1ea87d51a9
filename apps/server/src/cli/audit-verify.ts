// npm run audit:verify — recomputes the audit log's hash chain and names the first broken row.
import { loadConfig } from '../config';
import { createDeps } from '../services/context';
import { AuditService } from '../services/audit.service';
import { RegionsService } from '../services/regions.service';
import { withDatabase } from './common';

await withDatabase(async (db) => {
  const deps = createDeps(db, loadConfig());
  const report = await new AuditService(deps, new RegionsService(deps)).verifyChain();
  if (report.ok) {
    console.log(`audit chain OK: ${report.rows} rows verified`);
    return 0;
  }
  console.log(`audit chain BROKEN at row id=${report.firstBroken!.id}: ${report.firstBroken!.problem} (${report.rows} rows read)`);
  return 2;
});
