import { z } from 'zod';
import { cardActionValue, parseCardActionValue } from '../blocks/cardActions.ts';
import type { ReplyPlace } from '../delivery.ts';

/** Slack's limit on a view's private_metadata. */
const METADATA_LIMIT = 3000;

const placeSchema = z.object({ c: z.string().max(64).optional(), ts: z.string().max(64).optional(), r: z.url().max(1000).optional() });
const editSchema = placeSchema.extend({ account: z.string() });

export function createMetadata(place: ReplyPlace): string {
  return fitMetadata(placeFields(place));
}

export function readCreateMetadata(metadata: string): ReplyPlace {
  const parsed = placeSchema.safeParse(parseJson(metadata));
  return parsed.success ? toPlace(parsed.data) : {};
}

/** The edit modal carries `accountId:version` as it was when the form opened, so a change made meanwhile is caught. */
export function editMetadata(account: { id: string; version: number }, place: ReplyPlace): string {
  return fitMetadata({ account: cardActionValue(account), ...placeFields(place) });
}

export function readEditMetadata(metadata: string): { accountId: string; version: number; place: ReplyPlace } | null {
  const parsed = editSchema.safeParse(parseJson(metadata));
  const target = parsed.success ? parseCardActionValue(parsed.data.account) : null;
  return parsed.success && target ? { accountId: target.accountId, version: target.expectedVersion, place: toPlace(parsed.data) } : null;
}

const groupSchema = placeSchema.extend({ group: z.uuid() });

/** A group card's form carries the group's ID and where the card is. */
export function groupMetadata(groupId: string, place: ReplyPlace): string {
  return fitMetadata({ group: groupId, ...placeFields(place) });
}

export function readGroupMetadata(metadata: string): { groupId: string; place: ReplyPlace } | null {
  const parsed = groupSchema.safeParse(parseJson(metadata));
  return parsed.success ? { groupId: parsed.data.group, place: toPlace(parsed.data) } : null;
}

const bulkValueSchema = placeSchema.extend({ do: z.string().max(64), f: z.string().max(1000) });

/** The modal asking which role or group carries the change chosen on a list, that list's filter, and where the list is. */
export function bulkValueMetadata(request: { change: string; filter: string }, place: ReplyPlace): string {
  return fitMetadata({ do: request.change, f: request.filter, ...placeFields(place) });
}

export function readBulkValueMetadata(metadata: string): { change: string; filter: string; place: ReplyPlace } | null {
  const parsed = bulkValueSchema.safeParse(parseJson(metadata));
  return parsed.success ? { change: parsed.data.do, filter: parsed.data.f, place: toPlace(parsed.data) } : null;
}

/**
 * A card in a channel is reached by chat.update and ephemeral messages there, which do not expire; its response_url
 * (30 minutes, 5 uses) may have by the time the form is submitted, so only an ephemeral card keeps one.
 */
function placeFields(place: ReplyPlace) {
  return { c: place.channel, ts: place.messageTs, r: place.messageTs ? undefined : place.responseUrl };
}

function toPlace(fields: z.output<typeof placeSchema>): ReplyPlace {
  return { channel: fields.c, messageTs: fields.ts, responseUrl: fields.r };
}

/** A response_url is a convenience; it is dropped before the metadata could outgrow Slack's limit. */
function fitMetadata(fields: Record<string, unknown>): string {
  const json = JSON.stringify(fields);
  return json.length <= METADATA_LIMIT ? json : JSON.stringify({ ...fields, r: undefined });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
