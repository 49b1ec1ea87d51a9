// npm run regions:load -- --province 43     (one province by its 2-digit code)
// npm run regions:load -- --all             (the whole country, about 660,000 regions)
import { loadRegions } from '../services/region-loader';
import { arg, withDatabase } from './common';

const province = process.argv.includes('--all') ? '' : (arg('province') ?? '21');
await withDatabase(async (db) => {
  const t = Date.now();
  const n = await loadRegions(db, province);
  console.log(`loaded ${n} regions${province ? ` of province ${province}` : ''} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
});
