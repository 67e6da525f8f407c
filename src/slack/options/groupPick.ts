import type { MultiExternalSelect, PlainTextOption } from '@slack/types';
import { runAction, type ActionServices } from '../../actions/action.ts';
import type { Actor } from '../../actions/actor.ts';
import { searchGroupsAction, type GroupSummary } from '../../actions/groups/searchGroups.ts';
import { RefusedError } from '../../domain/errors.ts';
import { fitOptionText } from './accountPick.ts';

/** The group picker of the create-account modal: an external select, since an organisation may have thousands of groups. */
export const GROUP_PICK_ACTION_ID = 'account.groups.pick';

/** How many groups one account may be put in from the modal. */
const MAX_GROUPS_PICKED = 20;

export function groupPickElement(): MultiExternalSelect {
  return {
    type: 'multi_external_select',
    action_id: GROUP_PICK_ACTION_ID,
    placeholder: { type: 'plain_text', text: 'Group name or external ID' },
    min_query_length: 0,
    max_selected_items: MAX_GROUPS_PICKED,
  };
}

/** The groups matching what `actor` has typed, as `Name · organisation`, valued by group id; none for a refused caller. */
export async function groupOptions(services: ActionServices, actor: Actor, query: string): Promise<PlainTextOption[]> {
  try {
    const groups = await runAction(services, searchGroupsAction, actor, { query });
    return groups.map(groupOption);
  } catch (error) {
    if (error instanceof RefusedError) return [];
    throw error;
  }
}

function groupOption(group: GroupSummary): PlainTextOption {
  return { text: { type: 'plain_text', text: fitOptionText(`${group.name} · ${group.organisationSlug}`), emoji: false }, value: group.id };
}
