import type { ActivityDeps } from './deps';
import { createMailActivities } from './mail';
import { createSmokeActivities } from './smoke';

export type { ActivityDeps } from './deps';

/** Builds every activity from its dependencies; the worker registers the result. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createMailActivities(deps),
    ...createSmokeActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
