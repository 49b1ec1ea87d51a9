import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { api, type Endpoint, type EndpointBody, type EndpointParams, type EndpointQuery, type EndpointResponse, type ImportInfo, type ImportProblem, type Role } from '@tuopin/domain';
import { buildApp } from '../src/app';
import { createServices, type Services } from '../src/services/container';
import type { Config } from '../src/config';
import { Database } from '../src/db/database';
import { cloneTemplate, TEST_ADMIN_PASSWORD, testConfig } from '../src/testing/harness';

let counter = 0;

export interface TestEnv {
  db: Database;
  services: Services;
  app: FastifyInstance;
  client(): TestClient;
  admin(): Promise<TestClient>;
  close(): Promise<void>;
}

/** A fresh database cloned from the migrated template, with the app built on it. */
export async function setup(config: Partial<Config> = {}): Promise<TestEnv> {
  const adminUrl = process.env.TUOPIN_TEST_PG;
  if (!adminUrl) throw new Error('TUOPIN_TEST_PG is not set: run integration tests with `npm run test:integration`');
  const name = `t_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  const { url, drop } = await cloneTemplate(adminUrl, name);
  const db = new Database(url, 8);
  // A data directory of its own: uploaded files live under <data dir>/imports/<import id>, and import ids of
  // databases tested side by side are the same numbers.
  const dataDir = config.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tuopin-test-data-'));
  const services = createServices(db, testConfig({ ...config, dataDir }));
  const app = await buildApp(services, { logger: false });
  await services.jobs.start();
  return {
    db, services, app,
    client: () => new TestClient(app),
    admin: async () => {
      const c = new TestClient(app);
      await c.login('admin', TEST_ADMIN_PASSWORD);
      return c;
    },
    close: async () => {
      await app.close();
      await services.jobs.stop();
      await db.close();
      await drop();
      if (!config.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Res<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
  raw: Buffer;
  cookies: { name: string; value: string; httpOnly?: boolean; secure?: boolean; sameSite?: string }[];
}

type Input<E extends Endpoint> = { params?: EndpointParams<E>; query?: EndpointQuery<E>; body?: EndpointBody<E> };

/** A browser-like client: keeps cookies and sends the CSRF header, typed by the API contract. */
export class TestClient {
  cookies = new Map<string, string>();
  csrf: string | null = null;
  ip = '127.0.0.1';
  constructor(private readonly app: FastifyInstance) {}

  async raw(method: string, url: string, opts: { body?: unknown; headers?: Record<string, string>; payload?: string } = {}): Promise<Res> {
    const headers: Record<string, string> = { host: 'localhost', ...opts.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET' && this.csrf && !('x-csrf-token' in headers)) headers['x-csrf-token'] = this.csrf;
    const r = await this.app.inject({
      method: method as 'GET',
      url,
      headers,
      remoteAddress: this.ip,
      ...(opts.payload !== undefined ? { payload: opts.payload } : opts.body !== undefined ? { payload: opts.body as object } : {}),
    });
    for (const c of r.cookies as Res['cookies']) {
      if (c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    let body: unknown = r.body;
    try {
      body = JSON.parse(r.body);
    } catch {
      /* not JSON */
    }
    return { status: r.statusCode, body, headers: r.headers, raw: r.rawPayload, cookies: r.cookies as Res['cookies'] };
  }

  async call<E extends Endpoint>(e: E, input: Input<E> = {}): Promise<Res<EndpointResponse<E>>> {
    let url = e.url;
    for (const [k, v] of Object.entries((input.params ?? {}) as Record<string, unknown>)) url = url.replace(`:${k}`, encodeURIComponent(String(v)));
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries((input.query ?? {}) as Record<string, unknown>)) if (v !== undefined) qs.set(k, String(v));
    if ([...qs].length) url += `?${qs}`;
    return (await this.raw(e.method, url, { body: input.body })) as Res<EndpointResponse<E>>;
  }

  /** Like call, but fails the test unless the status is 2xx. */
  async ok<E extends Endpoint>(e: E, input: Input<E> = {}): Promise<EndpointResponse<E>> {
    const r = await this.call(e, input);
    if (r.status >= 300) throw new Error(`${e.method} ${e.url} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** multipart/form-data upload, as a browser sends it. */
  async upload(url: string, files: { name: string; content: Buffer | string }[]): Promise<Res> {
    const boundary = `----tuopin${Math.random().toString(16).slice(2)}`;
    const parts: Buffer[] = [];
    for (const f of files) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
      parts.push(Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content));
      parts.push(Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return this.raw('POST', url, { payload: Buffer.concat(parts) as unknown as string, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
  }

  async login(username: string, password: string): Promise<Res> {
    const r = await this.raw('POST', '/api/auth/login', { body: { username, password } });
    if (r.status === 200) this.csrf = (r.body as { csrfToken: string }).csrfToken;
    return r;
  }
}

export const QINGHE = '211204000000'; // 清河区, 铁岭市
export const ZHANGXIANG = '211204101000'; // 张相镇
export const YANGMULINZI = '211204102000'; // 杨木林子镇
export const YINZHOU = '211202000000'; // 银州区, 铁岭市

/** Creates a user through the API as `by`, logs them in and replaces the initial password; returns their client. */
export async function userClient(
  env: TestEnv,
  by: TestClient,
  u: { username: string; role: Role; regionCode: string; displayName?: string },
): Promise<{ client: TestClient; id: number }> {
  const created = await by.ok(api.userCreate, {
    body: { username: u.username, displayName: u.displayName ?? u.username, role: u.role, regionCode: u.regionCode, password: 'Initial2025x' },
  });
  const c = env.client();
  const login = await c.login(u.username, 'Initial2025x');
  if (login.status !== 200) throw new Error(`login ${u.username}: ${JSON.stringify(login.body)}`);
  await c.ok(api.changePassword, { body: { currentPassword: 'Initial2025x', newPassword: 'Changed2025y' } });
  return { client: c, id: created.id };
}

/**
 * Waits until an import has left its waiting and working states (a deadline, not a count of polls: a loaded machine
 * takes longer), and returns it with its problems.
 */
export async function importFinished(c: TestClient, importId: number, ms = 120_000): Promise<{ import: ImportInfo; problems: ImportProblem[] }> {
  const end = Date.now() + ms;
  for (;;) {
    const r = await c.ok(api.importGet, { params: { id: importId } });
    if (!['queued', 'validating', 'committing'].includes(r.import.status)) return r;
    if (Date.now() > end) throw new Error(`import ${importId} still ${r.import.status}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** Uploads files as one import (201 expected) and waits for its validation. */
export async function uploadImport(c: TestClient, files: { name: string; content: Buffer | string }[]): Promise<{ import: ImportInfo; problems: ImportProblem[] }> {
  const r = await c.upload('/api/imports', files);
  if (r.status !== 201) throw new Error(`upload: ${r.status} ${JSON.stringify(r.body)}`);
  return importFinished(c, (r.body as ImportInfo).id);
}
