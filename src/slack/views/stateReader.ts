import type { ViewOutput, ViewStateValue } from '@slack/bolt';

/** Reads a submitted modal's inputs by block_id (each input block holds one element, whatever its action_id). */
export function stateReader(view: ViewOutput) {
  const element = (blockId: string): ViewStateValue | undefined => Object.values(view.state.values[blockId] ?? {})[0];
  return {
    text: (blockId: string): string => element(blockId)?.value ?? '',
    selected: (blockId: string): string | undefined => element(blockId)?.selected_option?.value ?? undefined,
    selectedMany: (blockId: string): string[] => (element(blockId)?.selected_options ?? []).map((o) => o.value),
    files: (blockId: string): { id: string; name: string }[] => (element(blockId)?.files ?? []).map((f) => ({ id: f.id, name: f.name })),
  };
}
