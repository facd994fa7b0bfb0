import { EventEmitter } from 'node:events';

import type { ArgumentsHost } from '@nestjs/common';
import { BadRequestException, Logger, NotFoundException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request, Response } from 'express';

import { AppError } from './app-error';
import { ErrorCode } from './error-code';
import { HttpExceptionFilter } from './http-exception.filter';

interface Captured {
  status?: number;
  headers: Record<string, string>;
  body?: unknown;
  ended: boolean;
}

function hostFor(captured: Captured, headersSent = false): ArgumentsHost {
  const req = { header: (name: string) => (name === 'X-Request-ID' ? 'rid-1' : undefined), method: 'GET', path: '/nowhere', app: { router: { stack: [] } } } as unknown as Request;
  // A response is an event emitter: the request's context listens for it closing unfinished.
  const res = Object.assign(new EventEmitter(), {
    headersSent,
    writableFinished: false,
    setHeader: (name: string, value: string) => {
      captured.headers[name] = value;
    },
    status(code: number) {
      captured.status = code;
      return this;
    },
    set(headers: Record<string, string>) {
      Object.assign(captured.headers, headers);
      return this;
    },
    json(body: unknown) {
      captured.body = body;
      return this;
    },
    end() {
      captured.ended = true;
    },
  }) as unknown as Response;
  return { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ArgumentsHost;
}

function render(exception: unknown): Captured {
  const captured: Captured = { headers: {}, ended: false };
  new HttpExceptionFilter().catch(exception, hostFor(captured));
  return captured;
}

describe('HttpExceptionFilter', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  afterAll(() => {
    Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']);
  });

  it.each([
    [new BadRequestException(), 400, ErrorCode.InvalidInput, 'Request body is not valid JSON'],
    [new NotFoundException(), 404, ErrorCode.NotFound, 'Route not found'],
    [new PayloadTooLargeException(), 413, ErrorCode.PayloadTooLarge, 'Request body too large'],
    [new UnsupportedMediaTypeException(), 415, ErrorCode.UnsupportedMediaType, 'Content-Type must be application/json'],
    [Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' }), 413, ErrorCode.PayloadTooLarge, 'Request body too large'],
  ])('maps %s to the error body', (exception, status, code, error) => {
    const { status: sent, body, headers } = render(exception);
    expect(sent).toBe(status);
    expect(body).toMatchObject({ code, error, request_id: 'rid-1' });
    expect(headers['X-Request-ID']).toBe('rid-1');
  });

  it('hides anything unexpected behind internal_error', () => {
    const { status, body } = render(new TypeError('secret at /srv/app/db.ts:12 SELECT * FROM players'));
    expect(status).toBe(500);
    expect(body).toEqual({
      error: 'Internal error',
      status: 'error',
      code: 'internal_error',
      request_id: 'rid-1',
      details: [],
      suggestions: [],
    });
  });

  it('renders rate limiting with Retry-After and says in its text when the budget resets', () => {
    const { status, body, headers } = render(AppError.rateLimited(12));
    expect(status).toBe(429);
    expect(headers['Retry-After']).toBe('12');
    expect(body).toMatchObject({
      error: 'Rate limit exceeded: the budget resets in 12 s',
      retry_after_seconds: 12,
      suggestions: ['Retry after 12 s (the Retry-After header)'],
    });
  });

  it('answers a refused key with the plain Bearer challenge', () => {
    const { status, headers } = render(new AppError(ErrorCode.Unauthorized));
    expect(status).toBe(401);
    expect(headers['WWW-Authenticate']).toBe('Bearer');
  });

  it('sends the challenge a refusal carries, on a 401 or a 403', () => {
    const challenge = 'Bearer error="invalid_token", resource_metadata="https://squad.example/.well-known/oauth-protected-resource"';
    expect(render(new AppError(ErrorCode.Unauthorized, undefined, { challenge })).headers['WWW-Authenticate']).toBe(challenge);
    const forbidden = render(new AppError(ErrorCode.Forbidden, undefined, { challenge: 'Bearer error="insufficient_scope"' }));
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers['WWW-Authenticate']).toBe('Bearer error="insufficient_scope"');
    expect(render(new AppError(ErrorCode.Forbidden)).headers).not.toHaveProperty('WWW-Authenticate');
  });

  it('answers unavailable token verification with 503 auth_unavailable', () => {
    const { status, body } = render(new AppError(ErrorCode.AuthUnavailable));
    expect(status).toBe(503);
    expect(body).toMatchObject({ code: 'auth_unavailable', status: 'unavailable', error: 'Token verification temporarily unavailable' });
  });

  it('only ends a response whose headers were already sent', () => {
    const captured: Captured = { headers: {}, ended: false };
    new HttpExceptionFilter().catch(new Error('late'), hostFor(captured, true));
    expect(captured.ended).toBe(true);
    expect(captured.status).toBeUndefined();
  });
});
