// npm run generate -- --province 21 --persons 1000000 --seed 1            (into the product's database)
// npm run generate -- --region 211204 --persons 5000 --seed 7 --replace   (a county or township; replace earlier generated data)
// npm run generate -- --region 211204 --persons 5000 --out ./demo-csv     (CSV files in the import format instead)
// Options: --year YYYY (the current year; income and status for it and the year before), --replace, --out DIR.
import process from 'node:process';
import { generateIntoDatabase, generateToCsv, type GenerateResult } from '../generate/index';
import { arg, withDatabase } from './common';

const region = arg('region') ?? arg('province');
const persons = Number(arg('persons') ?? 10000);
const seed = Number(arg('seed') ?? 1);
const year = arg('year') !== undefined ? Number(arg('year')) : undefined;
const out = arg('out');
const replace = process.argv.includes('--replace');

function usage(message: string): never {
  console.error(`${message}\nusage: npm run generate -- (--province NN | --region CODE) [--persons N] [--seed N] [--year YYYY] [--replace] [--out DIR]`);
  process.exit(2);
}
if (!region) usage('--province or --region is required');
if (!Number.isInteger(persons) || persons < 1) usage('--persons must be a positive integer');
if (!Number.isSafeInteger(seed) || seed < 0) usage('--seed must be a non-negative integer');
if (year !== undefined && (!Number.isInteger(year) || year < 2015 || year > 2100)) usage('--year must be a year');
if (out && replace) usage('--replace applies to the database, not to --out');

await withDatabase(async (db) => {
  let last = 0;
  const onProgress = (n: number) => {
    if (n - last >= 100000) {
      last = n;
      process.stderr.write(`  ${n.toLocaleString('en')} persons\r`);
    }
  };
  const r: GenerateResult = out
    ? await generateToCsv(db, { region, persons, seed, year, dir: out, onProgress })
    : await generateIntoDatabase(db, { region, persons, seed, year, replace, onProgress });
  const secs = r.ms / 1000;
  const rss = Math.round(process.memoryUsage().rss / 1048576);
  if (r.deleted) console.log(`deleted ${r.deleted} generated households first`);
  console.log(
    `${out ? `wrote CSV to ${out}` : 'generated into the database'}: region ${r.region}, seed ${r.seed}, years ${r.year - 1}–${r.year}: ` +
      `${r.households} households, ${r.persons} persons in ${r.villages} villages, in ${secs.toFixed(1)} s ` +
      `= ${Math.round(r.persons / secs).toLocaleString('en')} persons/s (rss ${rss} MB)`,
  );
});
