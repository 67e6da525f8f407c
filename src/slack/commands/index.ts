import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../context.ts';
import { registerUserCommand } from './user.ts';

export function registerCommands(app: App, deps: ListenerDeps): void {
  registerUserCommand(app, deps);
}
