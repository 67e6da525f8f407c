import type { ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';

export type Probe = () => Promise<void>;

const PROBE_TIMEOUT_MS = 2000;

/** `/healthz`: the process answers. `/readyz`: every dependency answers, else 503 naming the ones that do not. */
export function healthRoutes(probes: Record<string, Probe>): CustomRoute[] {
  return [
    { path: '/healthz', method: 'GET', handler: (_req, res) => reply(res, 200, { status: 'ok' }) },
    {
      path: '/readyz',
      method: 'GET',
      handler: (_req, res) => {
        void readiness(probes).then((checks) => {
          const ready = Object.values(checks).every((c) => c === 'ok');
          reply(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks });
        });
      },
    },
  ];
}

export async function readiness(probes: Record<string, Probe>): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]) => {
      try {
        await withTimeout(probe(), PROBE_TIMEOUT_MS);
        return [name, 'ok'] as const;
      } catch (error) {
        return [name, `unreachable: ${(error as Error).message}`] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
