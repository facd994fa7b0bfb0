import type { IncomingMessage, ServerResponse } from 'node:http';

import type { NextFunction, Request, Response } from 'express';

import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';

/** How deeply a JSON body may nest objects and arrays; tool arguments need a handful of levels. */
export const MAX_JSON_DEPTH = 32;

const [OPEN_OBJECT, OPEN_ARRAY, CLOSE_OBJECT, CLOSE_ARRAY, QUOTE, BACKSLASH] = ['{', '[', '}', ']', '"', '\\'].map((char) => char.charCodeAt(0));

/** Whether raw JSON text nests deeper than `limit`; one pass over the bytes, no parsing, no recursion. */
export function nestsDeeperThan(buffer: Uint8Array, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < buffer.length; index++) {
    const byte = buffer[index];
    if (inString) {
      if (byte === BACKSLASH) {
        index++;
      } else if (byte === QUOTE) {
        inString = false;
      }
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      depth++;
      if (depth > limit) {
        return true;
      }
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}

/** The JSON body parser's `verify` hook: a body nested too deeply is refused before it is parsed. */
export function refuseDeepJson(_req: IncomingMessage, _res: ServerResponse, buffer: Buffer): void {
  if (nestsDeeperThan(buffer, MAX_JSON_DEPTH)) {
    throw AppError.invalidInput([], `Request body is nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
}

/** Only origin-form targets (`/path?query`) are served; absolute-form and asterisk-form are refused. */
export function requireOriginFormTarget(req: Request, _res: Response, next: NextFunction): void {
  next(req.url.startsWith('/') ? undefined : AppError.invalidInput([], 'Malformed request target'));
}


/** The declared `charset` parameter of a Content-Type, lower-cased; undefined when none is declared. */
function declaredCharset(contentType: string): string | undefined {
  for (const parameter of contentType.split(';').slice(1)) {
    const [name = '', value = ''] = parameter.split('=');
    if (name.trim().toLowerCase() === 'charset') {
      return value.trim().replace(/^"(.*)"$/, '$1').toLowerCase();
    }
  }
  return undefined;
}

/**
 * Why the request's body cannot be read as JSON (a typed one of another type, bytes with no type
 * at all, or JSON declared in another charset than UTF-8, which RFC 8259 requires), or undefined
 * when it can.
 */
function nonJsonBody(req: Request): string | undefined {
  const contentType = req.headers['content-type'];
  if (contentType === undefined) {
    return Number(req.headers['content-length'] ?? 0) > 0 ? 'Content-Type must be application/json' : undefined;
  }
  if (req.is('application/json') === false) {
    return 'Content-Type must be application/json';
  }
  const charset = declaredCharset(contentType);
  return charset === undefined || charset === 'utf-8' ? undefined : 'JSON bodies must be UTF-8: declare charset=utf-8 or no charset';
}

/**
 * A request that carries a body must say it is JSON, so no body is ever silently ignored; and
 * UTF-8 JSON only, so the depth check reads exactly the bytes the parser will.
 */
export function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
  const problem = nonJsonBody(req);
  next(problem === undefined ? undefined : new AppError(ErrorCode.UnsupportedMediaType, problem));
}
