import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { msg, zhText, type ErrorBody } from '@tuopin/domain';
import { AppError, appError, constraintViolation, detail, type FieldError } from './errors';
import { badTextFields, badUrlField, fieldErrors, isBadText, MAX_PARAM_LENGTH, parseQueryString } from './http/validation';
import { api, isIsoDate } from '@tuopin/domain';
import { authRoutes } from './routes/auth.routes';
import { regionRoutes } from './routes/regions.routes';
import { systemRoutes } from './routes/system.routes';
import { userRoutes } from './routes/users.routes';
import { registryRoutes } from './routes/registry.routes';
import { importRoutes, MAX_UPLOAD_BYTES } from './routes/import.routes';
import { qualityRoutes } from './routes/quality.routes';
import { policyRoutes } from './routes/policy.routes';
import { rulesRoutes } from './routes/rules.routes';
import { runsRoutes } from './routes/runs.routes';
import { monitoringRoutes } from './routes/monitoring.routes';
import { exitRoutes } from './routes/exit.routes';
import { assistanceRoutes } from './routes/assistance.routes';
import multipart from '@fastify/multipart';
import { pgError } from './services/context';
import { VERSION, type Services } from './services/container';

/** The URL templates of the contract (to name the path parameter of an undecodable URL). */
const ENDPOINT_URLS: readonly string[] = Object.values(api).map((e) => e.url);

/** A request refused by the schema or the edge checks: the first field in the message, every field in details. */
function invalidParams(details: FieldError[]): AppError {
  const first = details[0];
  if (!first) return appError('http.invalidRequest').with({ details });
  return appError('http.invalidParam', { field: first.field, reason: first.code ? { code: first.code, params: first.params ?? {} } : first.message }).with({ details });
}

function toErrorBody(error: FastifyError | AppError | Error, log: FastifyInstance['log']): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    return {
      status: error.status,
      body: {
        code: error.code, kind: error.kind, message: error.message,
        ...(error.params && { params: error.params }), ...(error.details && { details: error.details }),
      },
    };
  }
  const fe = error as FastifyError & { validation?: unknown[]; validationContext?: string };
  if (fe.validation) {
    const details = fieldErrors(fe.validationContext ?? 'body', fe.validation as never);
    return toErrorBody(invalidParams(details), log);
  }
  if (fe.statusCode === 429) return toErrorBody(appError('http.rateLimited'), log);
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return toErrorBody(appError('http.unsupportedMediaType'), log);
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return toErrorBody(appError('http.bodyTooLarge'), log);
  if (fe.code?.startsWith('FST_ERR_CTP') || (fe.statusCode === 400 && error instanceof SyntaxError)) {
    return toErrorBody(appError('http.badJson'), log);
  }
  const pg = pgError(error);
  if (pg.code === '25006') return toErrorBody(appError('http.readOnly'), log);
  if (pg.code === '42501') return toErrorBody(appError('http.regionDenied'), log);
  // A deadlock or a serialization failure: the transaction was rolled back whole and nothing changed; trying again works.
  if (pg.code === '40P01' || pg.code === '40001') {
    log.warn({ err: error }, 'transaction lost a race (deadlock or serialization failure)');
    return toErrorBody(appError('http.retry'), log);
  }
  // A constraint the validation did not know: the client's mistake, named by its field; the cause goes to the log.
  const violation = constraintViolation(error);
  if (violation) {
    log.warn({ err: error }, 'database refused the request data');
    return toErrorBody(violation, log);
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return toErrorBody(fe.statusCode === 404 ? new AppError(404, 'NOT_FOUND', zhText('http.badRequest')) : appError('http.badRequest').with({ status: fe.statusCode }), log);
  }
  log.error({ err: error }, 'unhandled error');
  return toErrorBody(appError('http.internal'), log);
}

export async function buildApp(services: Services, opts: { logger?: boolean | object } = {}): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    logger: opts.logger ?? { level: config.logLevel },
    trustProxy: config.trustProxy,
    ajv: {
      // removeAdditional off: a key a schema does not list (additionalProperties: false, the registry's column schemas)
      // is refused with the field named, not dropped in silence; verbose: a refusal names a registry field by its
      // schema's title (http/validation.ts).
      customOptions: { allErrors: true, removeAdditional: false, verbose: true },
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
        const { status, body } = toErrorBody(invalidParams([detail(field, long ? msg('common.maxLength', { limit: MAX_PARAM_LENGTH }) : msg('http.badUrl'))]), request.log);
        return reply.code(status).type('application/json').send(body);
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
      ...(isBadText(request.ip ?? '') ? [detail('headers.x-forwarded-for', msg('common.badText'))] : []),
    ];
    if (details.length > 0) throw invalidParams(details);
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
      if (field === 'params') throw appError('http.routeNotFound', { method: request.method, path: request.url.slice(0, 200).split('?')[0] ?? '' });
      throw invalidParams([detail(field, msg('common.maxLength', { limit: MAX_PARAM_LENGTH }))]);
    }
  });
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 3, fields: 5 } });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => Object.assign(appError('auth.loginRateLimited', { seconds: Math.ceil(ctx.ttl / 1000) }), { statusCode: 429 }),
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
    runsRoutes(api, services);
    monitoringRoutes(api, services);
    exitRoutes(api, services);
    assistanceRoutes(api, services);
  });

  const hasWeb = fs.existsSync(path.join(config.webDist, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: config.webDist, index: ['index.html'] });
  app.setNotFoundHandler((request, reply) => {
    // The web app routes on the client: unknown non-API GETs get its index page.
    if (hasWeb && request.method === 'GET' && !request.url.startsWith('/api/')) return reply.type('text/html').sendFile('index.html');
    const { status, body } = toErrorBody(appError('http.routeNotFound', { method: request.method, path: request.url.slice(0, 200).split('?')[0] ?? '' }), request.log);
    return reply.code(status).send(body);
  });
  return app;
}
