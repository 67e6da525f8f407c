import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node src/cli/main.ts ...args` (what `npm run roster -- ...args` runs) as an operator would, with `env` over this
 * process's environment. Resolves with the exit code and output; rejects only when it could not run at all or timed out.
 */
export function runCli(args: string[], env: Record<string, string | undefined>, timeoutMs = 20_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['src/cli/main.ts', ...args],
      { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, timeout: timeoutMs },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}
