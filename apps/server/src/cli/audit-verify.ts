// npm run audit:verify [-- --chain 211204] — recomputes the audit log's hash chains (one per county, one for national
// and system events, the frozen 'legacy' chain of rows from before migration 0017); one line per chain, naming the
// first broken row of each broken chain. Exit code 2 when any chain is broken, and when the chain asked for has no rows
// (a county with no audited change yet, a mistyped code, or a chain whose rows were all deleted).
import { loadConfig } from '../config';
import { createServices } from '../services/container';
import { withDatabase } from './common';

const chainArg = process.argv.includes('--chain') ? process.argv[process.argv.indexOf('--chain') + 1] ?? '' : undefined;

await withDatabase(async (db) => {
  if (chainArg !== undefined && !/^([0-9]{6}|legacy)$/.test(chainArg)) {
    console.error(`--chain takes a chain: a county code (6 digits), 000000 or legacy; got "${chainArg}"`);
    return 2;
  }
  const { audit } = createServices(db, loadConfig());
  const report = await audit.verifyChain({ chain: chainArg });
  if (chainArg !== undefined && report.chains.length === 0) {
    console.error(`chain ${chainArg} has no rows: nothing to verify (a county with no audited change yet, a mistyped code, or a chain whose rows were deleted)`);
    return 2;
  }
  const label = (c: string) => (c === '000000' ? 'national/system' : c === 'legacy' ? 'legacy (before 0017)' : `county ${c}`);
  for (const c of report.chains) {
    console.log(c.ok
      ? `chain ${c.chain} (${label(c.chain)}): OK, ${c.rows} rows verified`
      : `chain ${c.chain} (${label(c.chain)}): BROKEN at row id=${c.firstBroken!.id}: ${c.firstBroken!.problem} (${c.rows} rows read)`);
  }
  const broken = report.chains.filter((c) => !c.ok).length;
  console.log(report.ok
    ? `audit chains OK: ${report.chains.length} chains, ${report.rows} rows verified`
    : `audit chains BROKEN: ${broken} of ${report.chains.length} chains, ${report.rows} rows read`);
  return report.ok ? 0 : 2;
});
