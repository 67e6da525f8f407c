import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { runAction, type ActionServices } from '../../actions/action.ts';
import { createAccountForm, editAccountForm } from '../../actions/accounts/accountForms.ts';
import type { Actor } from '../../actions/actor.ts';
import { emailSchema } from '../../actions/inputs.ts';
import { RefusedError } from '../../domain/errors.ts';
import { createAccountModal, editAccountModal } from '../blocks/accountModals.ts';
import type { ReplyPlace } from '../delivery.ts';
import { createMetadata, editMetadata } from './modalMetadata.ts';

/** Words after `/user` that open a modal (they are not typed actions). */
export const MODAL_VERBS = ['create', 'edit'] as const;

export function opensModal(verb: string): verb is (typeof MODAL_VERBS)[number] {
  return (MODAL_VERBS as readonly string[]).includes(verb);
}

export interface ModalRequest {
  services: ActionServices;
  client: WebClient;
  actor: Actor;
  /** Valid for 3 seconds and once: only the caller's grant and the form's values are read before views.open. */
  triggerId: string;
  place: ReplyPlace;
}

/**
 * `/user create [email]` opens the create modal, `/user edit <who>` the edit modal. Anything more after `edit` is
 * refused with how to use it, and audited like a typed action's usage problem.
 */
export async function openModalFromCommand(request: ModalRequest, verb: (typeof MODAL_VERBS)[number], words: readonly string[]): Promise<void> {
  if (verb === 'create') {
    const email = emailSchema.safeParse(words[0] ?? '');
    await openCreateAccountModal(request, email.success ? { email: email.data } : {});
    return;
  }
  const [account = '', ...more] = words;
  await openEditAccountModal(request, account, more);
}

/** A caller without the role is refused here, with the sentence and audit event of the action itself, and no modal opens. */
export async function openCreateAccountModal({ services, client, actor, triggerId, place }: ModalRequest, prefill: { email?: string } = {}): Promise<void> {
  const form = await runAction(services, createAccountForm, actor, {});
  await openModal(client, triggerId, createAccountModal(form, createMetadata(place), prefill));
}

export async function openEditAccountModal(
  { services, client, actor, triggerId, place }: ModalRequest,
  accountRef: string,
  more: readonly string[] = [],
): Promise<void> {
  const form = await runAction(services, editAccountForm, actor, { account: accountRef, more });
  await openModal(client, triggerId, editAccountModal(form, editMetadata({ id: form.accountId, version: form.version }, place)));
}

/** views.open with the trigger_id; one Slack no longer accepts becomes a sentence asking to try again. */
export async function openModal(client: WebClient, triggerId: string, view: ModalView): Promise<void> {
  try {
    await client.views.open({ trigger_id: triggerId, view });
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code === 'expired_trigger_id' || code === 'exchanged_trigger_id') {
      throw new RefusedError('Slack stopped waiting for the form before it could open; nothing was changed. Please try again.', 'invalid-state');
    }
    throw error;
  }
}
