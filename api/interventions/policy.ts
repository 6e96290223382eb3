import type { Config } from '../../infra/config';
import { parseDunningLadder } from '../../domain/dunning';
import type { DispatchPolicy, InterventionPriority } from '../../workflows/intervention-dispatch.definitions';

/** The dispatch rules from configuration, fixed into each job's process at start. */
export function dispatchPolicy(config: Config): DispatchPolicy {
  const hours = Object.fromEntries(config.SLA_HOURS.split(',').map((p) => p.split(':'))) as Record<InterventionPriority, string>;
  const hourMs = config.DAY_MS / 24;
  return {
    slaMsByPriority: {
      critical: Number(hours.critical) * hourMs,
      high: Number(hours.high) * hourMs,
      normal: Number(hours.normal) * hourMs,
      low: Number(hours.low) * hourMs,
    },
    dispatcherEmail: config.DISPATCHER_EMAIL,
    assignmentHorizonDays: config.ASSIGNMENT_HORIZON_DAYS,
    collection: { dayMs: config.DAY_MS, dunningLadder: parseDunningLadder(config.DUNNING_LADDER) },
  };
}
