#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ALL_SERVICES, downServices, formatEnv, upServices } from './services.js';
import type { ServiceName } from './service-types.js';

const usage = 'usage: baton-services <up|down|status> [--only postgres,redis,temporal]';

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { only: { type: 'string' } } });
  const only = values.only ? (values.only.split(',').map((s) => s.trim()) as ServiceName[]) : ALL_SERVICES;
  const unknown = only.filter((s) => !ALL_SERVICES.includes(s));
  if (unknown.length) {
    console.error(`unknown service(s): ${unknown.join(', ')}\n${usage}`);
    return 2;
  }
  switch (positionals[0]) {
    case 'up':
    case 'status': {
      const { services, env } = await upServices({ only });
      for (const s of services) console.error(`# ${s.name}: ${s.source} — ${s.provider}${s.urls ? ' ' + JSON.stringify(s.urls) : ''}`);
      console.log(formatEnv(env));
      return 0;
    }
    case 'down': {
      const stopped = await downServices({ only });
      console.error(stopped.length ? `stopped: ${stopped.join(', ')}` : 'nothing to stop');
      return 0;
    }
    default:
      console.error(usage);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
