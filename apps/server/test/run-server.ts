/**
 * A server process of its own for the crash tests (run-recovery-crash.test.ts): the upload files of n households,
 * a poll with a deadline, and the server as a child process (apps/server/src/main.ts) with the run gate
 * (TUOPIN_TEST_RUN_GATE, services/runs.ts). The same as in run-recovery.test.ts, which still keeps its own copy.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { idCheckCharacter, SHEETS, type ImportInfo } from '@tuopin/domain';
import { currentYearInChina } from '../src/clock';
import { ROOT_DIR } from '../src/config';
import { freePort, TEST_ADMIN_PASSWORD } from '../src/testing/harness';

export const QINGHE = '211204000000';
const V_ZX = '211204101200'; // a village of 张相镇
export const YEAR = currentYearInChina();
export const HOUSEHOLDS = 40;

const csv = (rows: string[][]) => `\uFEFF${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;
const headers = (sheet: keyof typeof SHEETS) => SHEETS[sheet].columns.map((c) => c.header);
const row = (sheet: keyof typeof SHEETS, values: Record<string, string>) => SHEETS[sheet].columns.map((c) => values[c.header] ?? '');
function idNumber(birth: string, seq: number): string {
  const body = `211204${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return body + idCheckCharacter(body);
}

/** `n` households of one head each (numbers <prefix>-0001 …), as the three CSV files of an upload. */
export function files(prefix: string, n: number, seq0: number) {
  const h: string[][] = [headers('households')];
  const m: string[][] = [headers('members')];
  const i: string[][] = [headers('income')];
  for (let k = 0; k < n; k++) {
    const no = `${prefix}-${String(k + 1).padStart(4, '0')}`;
    const birth = `${1960 + (k % 30)}-03-15`;
    h.push(row('households', { 户编号: no, 所在村代码: V_ZX, 户属性: '一般农户', 住房安全等级: 'B', 是否饮水安全: '是', 年度: String(YEAR), 户状态: '一般农户' }));
    m.push(row('members', {
      户编号: no, 证件号码: idNumber(birth, (seq0 + k) % 500 * 2 + 1), 姓名: '周建国', 与户主关系: '户主', 性别: '男', 出生日期: birth, 民族: '汉族',
      文化程度: '初中', 在校生状况: '非在校生', 健康状况: '健康', 劳动技能: '普通劳动力', 基本医疗保险: '城乡居民基本医疗保险',
    }));
    i.push(row('income', { 户编号: no, 年度: String(YEAR), '其他工资性收入（元）': '24000' }));
  }
  return [
    { name: '户信息.csv', content: csv(h) },
    { name: '成员信息.csv', content: csv(m) },
    { name: '收入信息.csv', content: csv(i) },
  ];
}

/** Waits for a condition, polling; fails with the last value after the deadline. */
export async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  let last: T | undefined;
  for (;;) {
    try {
      last = await get();
      if (ok(last)) return last;
    } catch (e) {
      last = e as T;
    }
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A server process of its own, with a cookie jar for the API. */
export class Server {
  child: ChildProcess | null = null;
  out = '';
  port = 0;
  private cookie = '';
  private csrf = '';

  constructor(private readonly dbUrl: string, private readonly dataDir: string, private readonly gate: string) {}

  async start(): Promise<void> {
    this.port = await freePort();
    this.out = '';
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'apps/server/src/main.ts')], {
      cwd: ROOT_DIR,
      env: {
        ...process.env, DATABASE_URL: this.dbUrl, TUOPIN_DATA_DIR: this.dataDir, PORT: String(this.port), HOST: '127.0.0.1',
        TUOPIN_DEMO_DATA: 'false', ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, LOG_LEVEL: 'warn',
        TUOPIN_TEST_RUN_GATE: this.gate, TUOPIN_RUN_SWEEP_MS: '300', TUOPIN_RUN_HEARTBEAT_MS: '300',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    for (const s of [child.stdout!, child.stderr!]) s.on('data', (b: Buffer) => (this.out += b.toString('utf8')));
    await until('server listening', async () => this.out, (o) => /listening on http/.test(o) || child.exitCode !== null, 120_000);
    assert.equal(child.exitCode, null, this.out);
    const login = await fetch(this.url('/api/auth/login'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }) });
    assert.equal(login.status, 200, await login.clone().text());
    this.cookie = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
    this.csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  url(p: string) {
    return `http://127.0.0.1:${this.port}${p}`;
  }

  async call<T>(method: string, p: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { cookie: this.cookie, 'x-csrf-token': this.csrf };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(this.url(p), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, body: (await r.json()) as T };
  }

  async ok<T>(method: string, p: string, body?: unknown): Promise<T> {
    const r = await this.call<T>(method, p, body);
    assert.ok(r.status < 300, `${method} ${p} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async upload(list: { name: string; content: string }[]): Promise<ImportInfo> {
    const form = new FormData();
    for (const f of list) form.append('files', new Blob([f.content]), f.name);
    const r = await fetch(this.url('/api/imports'), { method: 'POST', headers: { cookie: this.cookie, 'x-csrf-token': this.csrf }, body: form });
    const body = (await r.json()) as ImportInfo;
    assert.equal(r.status, 201, JSON.stringify(body));
    return body;
  }
}

