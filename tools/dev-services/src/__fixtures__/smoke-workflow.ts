import { proxyActivities } from '@temporalio/workflow';
import type * as activities from './smoke-activities.js';

const { greet } = proxyActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });

/** Trivial workflow for the harness smoke test: one activity round trip. */
export async function smokeWorkflow(name: string): Promise<string> {
  return `${await greet(name)}!`;
}
