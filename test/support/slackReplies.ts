// Reading what Roster sent to Slack (a reply, a card, a modal) the way a test asserts on it.
import type { RecordedCall } from './fakeSlack.ts';

/** The blocks of a message as one string, to look for the sentences a person would read in it. */
export const blocksText = (call: RecordedCall): string => JSON.stringify(call.args.blocks ?? []);

/** The same, with mrkdwn's entities read back as Slack shows them (`&lt;who&gt;` as `<who>`). */
export const shownText = (call: RecordedCall): string => blocksText(call).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The first line of a usage answer under its heading, as Slack shows it: the usage the problem is about. */
export const firstUsageLine = (call: RecordedCall): string | undefined => {
  const usage = (call.args.blocks as any[]).find((b) => b.block_id === 'usage');
  return usage?.text.text.split('\n')[1]?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
};

/** The card's buttons; its "More actions…" menu sits beside them and is not one. */
export const cardButtons = (call: RecordedCall): any[] =>
  (call.args.blocks as any[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements)
    .filter((e) => e.type === 'button');

/** A modal's input blocks by block_id. */
export const inputBlocks = (view: any): Record<string, any> =>
  Object.fromEntries(view.blocks.filter((b: any) => b.type === 'input').map((b: any) => [b.block_id, b]));

/** A modal's input elements by their block's block_id. */
export const inputElements = (view: any): Record<string, any> =>
  Object.fromEntries(Object.entries(inputBlocks(view)).map(([blockId, block]) => [blockId, block.element]));
