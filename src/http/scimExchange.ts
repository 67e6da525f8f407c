import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ActionServices } from '../actions/action.ts';
import type { ApiActors } from '../actions/access/apiTokens.ts';
import type { Actor } from '../actions/actor.ts';
import { FieldRefusedError, RefusedError } from '../domain/errors.ts';
import type { Projection } from '../domain/scimAttributes.ts';
import type { ScimError, ScimType } from '../domain/scimFilter.ts';
import type { RateLimiter } from './rateLimits.ts';
import { ERROR_SCHEMA, SCIM_CONTENT_TYPE } from './scimResources.ts';

/** A User body is a few hundred bytes; a Group PUT names every member, about 50 bytes each: this holds some 10,000. */
const BODY_LIMIT_BYTES = 512 * 1024;

/** What the SCIM handlers of Users and Groups share: the request, its answers and errors (RFC 7644 §3.12). */
export interface ScimDeps {
  services: ActionServices;
  apiActors: ApiActors;
  limiter: RateLimiter;
  /** Where Roster is reached from outside (meta.location); the request's Host header when unset. */
  publicUrl: string | undefined;
}

export interface ScimRequest {
  deps: ScimDeps;
  req: IncomingMessage;
  res: ServerResponse;
  actor: Actor;
  baseUrl: string;
  /** `attributes` / `excludedAttributes` of the query: what the answer's resources hold. */
  projection: Projection;
}

/** An answer that is not a success: RFC 7644 §3.12's error body. */
export class ScimAnswer extends Error {
  readonly status: number;
  readonly scimType: ScimType | undefined;
  readonly headers: Record<string, string>;

  constructor(status: number, detail: string, scimType?: ScimType, headers: Record<string, string> = {}) {
    super(detail);
    this.status = status;
    this.scimType = scimType;
    this.headers = headers;
  }
}

/** Runs an action, turning its refusal into the SCIM error a client can act on. */
export async function act<T>(request: ScimRequest, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof RefusedError)) throw error;
    throw refusalAnswer(error, request.req.headers['if-match'] !== undefined);
  }
}

export function refusalAnswer(error: RefusedError, ifMatch: boolean): ScimAnswer {
  const field = error instanceof FieldRefusedError ? error.field : undefined;
  switch (error.code) {
    case 'not-found':
      return new ScimAnswer(404, error.userMessage);
    case 'forbidden':
      return new ScimAnswer(403, error.userMessage);
    case 'invalid-input':
      return new ScimAnswer(400, error.userMessage, field === 'filter' ? 'invalidFilter' : 'invalidValue');
    case 'invalid-state':
      return new ScimAnswer(409, error.userMessage);
    case 'conflict':
      if (field === 'email' || field === 'username' || field === 'externalId' || field === 'name' || /duplicate/.test(error.userMessage))
        return new ScimAnswer(409, error.userMessage, 'uniqueness');
      return new ScimAnswer(ifMatch ? 412 : 409, error.userMessage);
  }
}

export function wholeNumber(text: string | null, fallback: number, name: string): number {
  if (text === null || text === '') return fallback;
  if (!/^-?\d{1,9}$/.test(text)) throw new ScimAnswer(400, `${name} must be a whole number.`, 'invalidValue');
  return Number(text);
}

export async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!/^application\/(scim\+)?json\b/i.test(req.headers['content-type'] ?? '')) throw new ScimAnswer(415, `Send the body as ${SCIM_CONTENT_TYPE}.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT_BYTES) throw new ScimAnswer(413, `The body must be at most ${BODY_LIMIT_BYTES} bytes.`);
    chunks.push(chunk as Buffer);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ScimAnswer(400, 'The body is not JSON.', 'invalidSyntax');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ScimAnswer(400, 'The body must be a JSON object.', 'invalidSyntax');
  return value as Record<string, unknown>;
}

export function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': SCIM_CONTENT_TYPE, 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, answer: ScimAnswer | ScimError): void {
  const status = answer instanceof ScimAnswer ? answer.status : 400;
  const headers = answer instanceof ScimAnswer ? answer.headers : {};
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  send(res, status, { schemas: [ERROR_SCHEMA], status: String(status), ...(answer.scimType ? { scimType: answer.scimType } : {}), detail: answer.message });
}

/** RFC 7644 §3.14: a change with If-Match applies only to the version the client saw. */
export function checkIfMatch(request: ScimRequest, resource: 'User' | 'Group', version: string): void {
  const ifMatch = request.req.headers['if-match'];
  if (ifMatch === undefined || ifMatch.trim() === '*') return;
  const etags = ifMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (!etags.includes(`"${version}"`)) throw new ScimAnswer(412, `The ${resource} has changed: its version is W/"${version}"; read it again.`);
}
