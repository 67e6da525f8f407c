import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../context.ts';
import { registerImportFileShare } from './importFileShare.ts';

export function registerEvents(app: App, deps: ListenerDeps): void {
  registerImportFileShare(app, deps);
}
