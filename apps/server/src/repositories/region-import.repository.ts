import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import type { Tx } from '../db/database';
import { rawClient } from '../db/raw';

export interface RegionImportRow {
  code: string;
  parentCode: string;
  level: number;
  name: string;
}

const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

/**
 * Loads a set of regions in the transaction (`Database.system`, whose actor names the load): COPY into a staging
 * table, then one upsert, then full names and child counts recomputed in SQL for the loaded subtree. One audit row
 * records the load.
 */
export async function importRegions(tx: Tx, prefix: string, rows: AsyncIterable<RegionImportRow>): Promise<number> {
  const client = rawClient(tx);
  await client.query(`create temp table region_stage (code text, parent_code text, level smallint, name text) on commit drop`);
  await pipeline(
    Readable.from(
      (async function* () {
        for await (const r of rows) yield `${r.code}\t${r.parentCode}\t${r.level}\t${esc(r.name)}\n`;
      })(),
    ),
    client.query(copyFrom('copy region_stage (code, parent_code, level, name) from stdin')),
  );
  const bad = await client.query<{ code: string; parent_code: string }>(`
    select s.code, s.parent_code from region_stage s
     where not exists (select 1 from region_stage p where p.code = s.parent_code)
       and not exists (select 1 from regions p where p.code = s.parent_code)
     limit 5`);
  if (bad.rowCount) throw new Error(`regions without a parent: ${bad.rows.map((r) => `${r.code}→${r.parent_code}`).join(', ')}`);
  // Insert parents before children (ordered by level) so the foreign key holds row by row.
  const ins = await client.query(`
    insert into regions (code, parent_code, level, name, full_name)
    select * from (
      -- A few codes appear at two levels in the source (东莞市 441900 as city and county); keep the higher one.
      select distinct on (code) code, parent_code, level, name, name from region_stage order by code, level
    ) s order by level, code
    on conflict (code) do update set name = excluded.name, parent_code = excluded.parent_code, level = excluded.level`);
  await client.query(
    `update regions r set full_name = f.full_name
       from (select d.code, string_agg(a.name, ' ' order by l.level) as full_name
               from regions d
               cross join lateral generate_series(1, d.level) as l(level)
               join regions a on a.code = rpad(left(d.code, (array[2,4,6,9,12])[l.level]), 12, '0')
              where d.code like $1 || '%'
              group by d.code) f
      where r.code = f.code and r.full_name is distinct from f.full_name`,
    [prefix],
  );
  await client.query(
    `update regions r set child_count = coalesce(c.n, 0)
       from regions r2 left join (select parent_code, count(*)::int n from regions group by parent_code) c on c.parent_code = r2.code
      where r.code = r2.code and (r.code like $1 || '%' or r.level = 0)`,
    [prefix],
  );
  await client.query(`select audit_append('load', 'regions', $1, null, null, $2::jsonb, '加载统计用区划代码')`, [
    prefix.padEnd(12, '0'),
    JSON.stringify({ prefix, rows: ins.rowCount }),
  ]);
  return ins.rowCount ?? 0;
}
