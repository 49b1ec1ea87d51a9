import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { ErrorBody } from '@tuopin/domain';
import type { Config } from './config';
import type { Database } from './db/database';
import { AppError, constraintViolation } from './errors';
import { badTextFields, badUrlField, BAD_TEXT_MESSAGE, fieldErrors, isBadText, MAX_PARAM_LENGTH, parseQueryString } from './http/validation';
import { api, isIsoDate } from '@tuopin/domain';
import { authRoutes } from './routes/auth.routes';
import { regionRoutes } from './routes/regions.routes';
import { systemRoutes } from './routes/system.routes';
import { userRoutes } from './routes/users.routes';
import { registryRoutes } from './routes/registry.routes';
import { importRoutes, MAX_UPLOAD_BYTES } from './routes/import.routes';
import { ImportService } from './services/import.service';
import { qualityRoutes } from './routes/quality.routes';
import { QualityService } from './services/quality.service';
import { policyRoutes } from './routes/policy.routes';
import { PolicyService } from './services/policy.service';
import { rulesRoutes } from './routes/rules.routes';
import { RulesService } from './services/rules.service';
import { monitoringRoutes } from './routes/monitoring.routes';
import { MonitoringService } from './services/monitoring.service';
import { exitRoutes } from './routes/exit.routes';
import { ExitService } from './services/exit.service';
import { assistanceRoutes } from './routes/assistance.routes';
import { AssistanceService } from './services/assistance.service';
import { Jobs } from './jobs';
import multipart from '@fastify/multipart';
import { RegistryRepository } from './repositories/registry.repository';
import { RegistryService } from './services/registry.service';
import { AuditService } from './services/audit.service';
import { AuthService } from './services/auth.service';
import { createDeps, pgError } from './services/context';
import { RegionsService } from './services/regions.service';
import { UsersService } from './services/users.service';

export const VERSION = '0.1.0';

/** The URL templates of the contract (to name the path parameter of an undecodable URL). */
const ENDPOINT_URLS: readonly string[] = Object.values(api).map((e) => e.url);

export interface Services {
  config: Config;
  db: Database;
  version: string;
  auth: AuthService;
  regions: RegionsService;
  users: UsersService;
  audit: AuditService;
  registry: RegistryService;
  jobs: Jobs;
  imports: ImportService;
  quality: QualityService;
  policy: PolicyService;
  rules: RulesService;
  monitoring: MonitoringService;
  exit: ExitService;
  assistance: AssistanceService;
}

export function createServices(db: Database, config: Config): Services {
  const d = createDeps(db, config);
  const regions = new RegionsService(d);
  const jobs = new Jobs(db.url);
  const policy = new PolicyService(d, regions);
  return {
    jobs,
    imports: new ImportService(d, jobs),
    quality: new QualityService(d, regions, jobs),
    policy,
    rules: new RulesService(d, regions, jobs),
    monitoring: new MonitoringService(d, regions, policy),
    exit: new ExitService(d, regions, policy),
    assistance: new AssistanceService(d),
    config, db, version: VERSION,
    auth: new AuthService(d),
    regions,
    users: new UsersService(d, regions),
    audit: new AuditService(d, regions),
    registry: new RegistryService(d, regions, new RegistryRepository()),
  };
}

function toErrorBody(error: FastifyError | AppError | Error, log: FastifyInstance['log']): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    return { status: error.status, body: { code: error.code, message: error.message, ...(error.details && { details: error.details }) } };
  }
  const fe = error as FastifyError & { validation?: unknown[]; validationContext?: string };
  if (fe.validation) {
    const details = fieldErrors(fe.validationContext ?? 'body', fe.validation as never);
    const first = details[0];
    return {
      status: 400,
      body: { code: 'VALIDATION', message: first ? `请求参数不正确：${first.field} ${first.message}` : '请求参数不正确', details },
    };
  }
  if (fe.statusCode === 429) return { status: 429, body: { code: 'RATE_LIMITED', message: fe.message || '请求过于频繁，请稍后再试' } };
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { status: 415, body: { code: 'VALIDATION', message: '不支持的请求内容类型，请使用 application/json' } };
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, body: { code: 'VALIDATION', message: '请求内容过大' } };
  if (fe.code?.startsWith('FST_ERR_CTP') || (fe.statusCode === 400 && error instanceof SyntaxError)) {
    return { status: 400, body: { code: 'VALIDATION', message: '请求内容不是合法的 JSON' } };
  }
  const pg = pgError(error);
  if (pg.code === '25006') return { status: 403, body: { code: 'FORBIDDEN', message: '只读账号不能修改数据' } };
  if (pg.code === '42501') return { status: 403, body: { code: 'FORBIDDEN', message: '无权在该区域进行此操作' } };
  // A constraint the validation did not know: the client's mistake, named by its field; the cause goes to the log.
  const violation = constraintViolation(error);
  if (violation) {
    log.warn({ err: error }, 'database refused the request data');
    return toErrorBody(violation, log);
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { code: fe.statusCode === 404 ? 'NOT_FOUND' : 'VALIDATION', message: '请求无效' } };
  }
  log.error({ err: error }, 'unhandled error');
  return { status: 500, body: { code: 'INTERNAL', message: '服务器内部错误，请稍后重试或联系管理员' } };
}

export async function buildApp(services: Services, opts: { logger?: boolean | object } = {}): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    logger: opts.logger ?? { level: config.logLevel },
    trustProxy: config.trustProxy,
    ajv: {
      customOptions: { allErrors: true },
      // The format `date` is the domain's one date check (a real day, 1900–2100), replacing ajv-formats' (which
      // accepts 0000-01-01).
      onCreate: (ajv) => ajv.addFormat('date', { type: 'string', validate: (s: string) => isIsoDate(s) }),
    },
    bodyLimit: 1024 * 1024,
    routerOptions: { querystringParser: parseQueryString },
    // A path the router cannot decode (`%FF`, an encoded surrogate) or with an over-long segment: a 400 naming the path
    // parameter.
    frameworkErrors: (error, request, rawReply) => {
      const reply = rawReply as unknown as FastifyReply;
      const fe = error as FastifyError;
      if (fe.code === 'FST_ERR_BAD_URL' || fe.code === 'FST_ERR_MAX_PARAM_LENGTH') {
        const long = fe.code === 'FST_ERR_MAX_PARAM_LENGTH';
        const field = long ? badUrlField(request.url, ENDPOINT_URLS, (s) => s.length > MAX_PARAM_LENGTH) : badUrlField(request.url, ENDPOINT_URLS);
        const message = long ? `长度不能超过 ${MAX_PARAM_LENGTH} 个字符` : '网址中包含无法解码的字符';
        return reply.code(400).type('application/json').send({ code: 'VALIDATION', message: `请求参数不正确：${field} ${message}`, details: [{ field, message }] });
      }
      const { status, body } = toErrorBody(fe, request.log);
      return reply.code(status).type('application/json').send(body);
    },
  });
  app.decorate('tuopinLoginLimit', config.loginAddressLimitPerMinute);
  app.decorateRequest('tuopinSession', null);

  /*
   * Text no route may receive, refused once, here, for every route: a NUL character or an unpaired surrogate in a
   * path parameter, a query value, the JSON body at any depth or a header the server keeps (the user agent of a
   * session, the client address behind a trusted proxy). A bad session cookie is dropped (the request is then simply
   * not logged in). Multipart uploads are checked as they are read (file and field names, import.routes.ts).
   */
  app.addHook('preValidation', async (request) => {
    const details = [
      ...badTextFields('params', request.params),
      ...badTextFields('querystring', request.query),
      ...(typeof request.body === 'object' || typeof request.body === 'string' ? badTextFields('body', request.body) : []),
      ...badTextFields('headers.user-agent', request.headers['user-agent']),
      ...(isBadText(request.ip ?? '') ? [{ field: 'headers.x-forwarded-for', message: BAD_TEXT_MESSAGE }] : []),
    ];
    if (details.length > 0) throw new AppError(400, 'VALIDATION', `请求参数不正确：${details[0]!.field} ${details[0]!.message}`, details);
  });

  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toErrorBody(error as FastifyError, request.log);
    reply.code(status).type('application/json').send(body);
  });

  await app.register(cookie);
  // After the cookie parser: a session cookie with bad text is dropped (see the edge check above).
  app.addHook('onRequest', async (request) => {
    for (const [name, value] of Object.entries(request.cookies ?? {})) if (typeof value === 'string' && isBadText(value)) delete request.cookies[name];
    // An API path that only the web app's wildcard route took — the router refused an endpoint's over-long path
    // parameter — is not a file: a 400 naming the parameter, else not found.
    if (request.routeOptions.url === '/*' && request.url.startsWith('/api/')) {
      const field = badUrlField(request.url, ENDPOINT_URLS, (seg) => seg.length > MAX_PARAM_LENGTH);
      if (field === 'params') throw new AppError(404, 'NOT_FOUND', `接口不存在：${request.method} ${request.url.slice(0, 200).split('?')[0]}`);
      const message = `长度不能超过 ${MAX_PARAM_LENGTH} 个字符`;
      throw new AppError(400, 'VALIDATION', `请求参数不正确：${field} ${message}`, [{ field, message }]);
    }
  });
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 3, fields: 5 } });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: `登录尝试过于频繁，请 ${Math.ceil(ctx.ttl / 1000)} 秒后再试`,
    }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Tuopin API', description: '脱贫：防止返贫监测和帮扶平台 API。所有错误返回 { code, message, details }。', version: VERSION },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'tuopin_sid' } },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  await app.register(async (api) => {
    systemRoutes(api, services);
    authRoutes(api, services);
    regionRoutes(api, services);
    userRoutes(api, services);
    registryRoutes(api, services);
    importRoutes(api, services);
    qualityRoutes(api, services);
    policyRoutes(api, services);
    rulesRoutes(api, services);
    monitoringRoutes(api, services);
    exitRoutes(api, services);
    assistanceRoutes(api, services);
  });

  const hasWeb = fs.existsSync(path.join(config.webDist, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: config.webDist, index: ['index.html'] });
  app.setNotFoundHandler((request, reply) => {
    // The web app routes on the client: unknown non-API GETs get its index page.
    if (hasWeb && request.method === 'GET' && !request.url.startsWith('/api/')) return reply.type('text/html').sendFile('index.html');
    return reply.code(404).send({ code: 'NOT_FOUND', message: `接口不存在：${request.method} ${request.url.slice(0, 200).split('?')[0]}` });
  });
  return app;
}
