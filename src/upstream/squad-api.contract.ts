import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

import { SQUAD_API_SCHEMAS, type SquadApiResources } from './squad-api.types';

type ResourceName = keyof SquadApiResources;

const CONTRACT_ID = 'squad-api';

/** An answer of squad-api that does not fit its contract; `problem` says where, never with the value. */
export class UpstreamContractError extends Error {
  constructor(
    readonly resource: string,
    readonly problem: string,
  ) {
    super(`squad-api sent a ${resource} that breaks the contract: ${problem}`);
    this.name = 'UpstreamContractError';
  }
}

function describe(errors: readonly ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  return first === undefined ? 'invalid' : `${first.instancePath === '' ? '(root)' : first.instancePath} ${first.message ?? 'is invalid'}`;
}

// One compiler for the whole contract: unknown fields are dropped (an allowlist), wrong types refused.
const ajv = new Ajv2020({ removeAdditional: 'all', strict: false, allErrors: false });
addFormats(ajv);
ajv.addSchema({ $id: CONTRACT_ID, components: { schemas: SQUAD_API_SCHEMAS } });

function parserOf<T>(validate: ValidateFunction<T>, name: string): (body: unknown) => T {
  return (body: unknown): T => {
    if (!validate(body)) {
      throw new UpstreamContractError(name, describe(validate.errors));
    }
    return body;
  };
}

const refTo = (resource: ResourceName): object => ({ $ref: `${CONTRACT_ID}#/components/schemas/${resource}` });

/**
 * A parser for one squad-api resource, compiled once from the contract in
 * contracts/squad-api.openapi.json: what it returns holds exactly the contract's fields, with the
 * contract's types, and anything else is an `UpstreamContractError`.
 */
export function contractParser<N extends ResourceName>(resource: N): (body: unknown) => SquadApiResources[N] {
  return parserOf(ajv.compile<SquadApiResources[N]>(refTo(resource)), resource);
}

/** The same for a list of the resource. */
export function contractListParser<N extends ResourceName>(resource: N): (body: unknown) => SquadApiResources[N][] {
  return parserOf(ajv.compile<SquadApiResources[N][]>({ type: 'array', items: refTo(resource) }), `${resource} list`);
}

/**
 * Wraps a parser so that an answer about another entity than the one asked for (squad-api sending
 * player 999 for 7) breaks the contract too: it is never passed on, nor cached under the id asked.
 * `idsOf` names the ids the answer claims; every one must be `expected`.
 */
export function askedFor<T>(parse: (body: unknown) => T, resource: string, expected: number, idsOf: (answer: T) => readonly number[]): (body: unknown) => T {
  return (body: unknown): T => {
    const answer = parse(body);
    if (idsOf(answer).some((id) => id !== expected)) {
      throw new UpstreamContractError(resource, '/id is not the id asked for');
    }
    return answer;
  };
}

/** The id of one resource, for `askedFor`. */
export const ownId = (answer: { readonly id: number }): readonly number[] => [answer.id];
