import type { IncomingMessage } from 'node:http';

import { json, type NextFunction, type Request, type RequestHandler, type Response } from 'express';

import { invalidJsonBody } from '../errors/http-exception.filter';
import { refuseDeepJson } from './request-edge';

const DIGITS = /^\d+$/;
const BYTE_ORDER_MARK = 0xfeff;
const JSON_WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/**
 * The byte length of a body in the form nearly every client sends — `Content-Type:
 * application/json`, a `Content-Length` within the limit, no content or transfer coding — or
 * undefined for any other form.
 */
function commonFormLength(req: IncomingMessage, limitBytes: number): number | undefined {
  const { headers } = req;
  if (headers['content-type'] !== 'application/json' || headers['transfer-encoding'] !== undefined || headers['content-encoding'] !== undefined) {
    return undefined;
  }
  const declared = headers['content-length'];
  if (declared === undefined || !DIGITS.test(declared)) {
    return undefined;
  }
  const length = Number(declared);
  return length <= limitBytes ? length : undefined;
}

/** The JSON text of a body: UTF-8, without a byte order mark. */
function textOf(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === BYTE_ORDER_MARK ? text.slice(1) : text;
}

/** A JSON object or array, or `{}` for an empty body; anything else is not a request body. */
function parsedBody(text: string): unknown {
  if (text.length === 0) {
    return {};
  }
  let index = 0;
  while (index < text.length && JSON_WHITESPACE.has(text.charAt(index))) {
    index += 1;
  }
  const first = text.charAt(index);
  if (first !== '{' && first !== '[') {
    throw invalidJsonBody();
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidJsonBody();
  }
}

/** Reads a body of the common form, checks its depth and parses it; each failure is answered as body-parser's would be. */
function readCommonForm(req: Request, res: Response, length: number, next: NextFunction): void {
  const chunks: Buffer[] = [];
  let received = 0;
  let settled = false;
  const settle = (error?: unknown): void => {
    if (settled) {
      return;
    }
    settled = true;
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onFailure);
    req.off('aborted', onFailure);
    next(error);
  };
  const onData = (chunk: Buffer): void => {
    chunks.push(chunk);
    received += chunk.length;
  };
  const onFailure = (): void => {
    settle(invalidJsonBody());
  };
  const onEnd = (): void => {
    const bytes = Buffer.concat(chunks, received);
    if (bytes.length !== length) {
      settle(invalidJsonBody());
      return;
    }
    try {
      refuseDeepJson(req, res, bytes);
      req.body = parsedBody(textOf(bytes));
    } catch (error) {
      settle(error);
      return;
    }
    settle();
  };
  req.body = undefined;
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onFailure);
  req.on('aborted', onFailure);
}

/**
 * The JSON body parser of every request, within `limitBytes` and the depth check: bodies of the
 * common form are read here, with one buffer and one parse; every other form (another media type
 * or charset spelling, a content coding, chunked, oversized) goes to body-parser, which answers it
 * as always. Either way the caller sees the same body or the same refusal.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  const general = json({ limit: limitBytes, verify: refuseDeepJson });
  return (req, res, next) => {
    const length = commonFormLength(req, limitBytes);
    if (length === undefined) {
      general(req, res, next);
      return;
    }
    readCommonForm(req, res, length, next);
  };
}
