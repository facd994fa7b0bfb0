import { type Attributes, type Context, createContextKey } from '@opentelemetry/api';
import type { Request } from 'express';

import { clientAddressOf } from '../../common/http/client-address';

/** Where the HTTP request's connection attributes travel, in the trace context of the request's span. */
const CONNECTION_KEY = createContextKey('squad-mcp:connection-attributes');

/**
 * What the conventions ask a server span to say about the connection it came on: HTTP over TCP,
 * the HTTP version, and the client's address (through the trusted proxies, as everywhere else).
 */
export function connectionAttributes(req: Request): Attributes {
  return {
    'network.protocol.name': 'http',
    'network.protocol.version': req.httpVersion,
    'network.transport': 'tcp',
    'client.address': clientAddressOf(req),
  };
}

/** The context with the request's connection attributes in it, for the server spans opened below it. */
export function withConnection(context: Context, attributes: Attributes): Context {
  return context.setValue(CONNECTION_KEY, attributes);
}

/** The connection attributes of the request whose span `context` is under; none outside one. */
export function connectionOf(context: Context): Attributes {
  return (context.getValue(CONNECTION_KEY) as Attributes | undefined) ?? {};
}
