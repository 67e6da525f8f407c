import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../context.ts';
import { registerUserCommand } from './user.ts';
import { registerUsersCommand } from './users.ts';

export function registerCommands(app: App, deps: ListenerDeps): void {
  registerUserCommand(app, deps);
  registerUsersCommand(app, deps);
}
