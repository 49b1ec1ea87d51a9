import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { api } from '@tuopin/domain';
import type { Services } from '../services/container';
import { CSRF_COOKIE, route, SESSION_COOKIE } from '../http/route';

function secure(request: FastifyRequest, setting: 'auto' | boolean): boolean {
  if (setting !== 'auto') return setting;
  // Browsers accept Secure cookies on http://localhost; elsewhere plain http must not set them.
  return request.protocol === 'https' || ['localhost', '127.0.0.1', '[::1]'].includes(request.hostname);
}

export function authRoutes(app: FastifyInstance, s: Services) {
  const cookieOptions = (request: FastifyRequest, maxAge?: number) => ({
    path: '/', sameSite: 'strict' as const, secure: secure(request, s.config.cookieSecure), ...(maxAge !== undefined && { maxAge }),
  });
  const clear = (request: FastifyRequest, reply: FastifyReply) => {
    reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
    reply.clearCookie(CSRF_COOKIE, cookieOptions(request));
  };

  route(app, s.auth, api.login, async ({ body, ip, request, reply }) => {
    const { token, session } = await s.auth.login({ username: body.username, password: body.password, ip, userAgent: request.headers['user-agent'] ?? null });
    const maxAge = s.config.sessionHours * 3600;
    reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions(request, maxAge), httpOnly: true });
    reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...cookieOptions(request, maxAge), httpOnly: false });
    return s.auth.me(session);
  });

  route(app, s.auth, api.logout, async ({ session, ip, request, reply }) => {
    await s.auth.logout(session, ip);
    clear(request, reply);
    return { ok: true as const };
  });

  route(app, s.auth, api.me, async ({ session }) => s.auth.me(session));

  route(app, s.auth, api.changePassword, async ({ session, ip, body }) => {
    await s.auth.changePassword(session, ip, body.currentPassword, body.newPassword);
    return { ok: true as const };
  });
}
