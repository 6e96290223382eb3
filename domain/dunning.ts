/** Dunning (relances): the ladder of notices sent after an invoice's due date while it is unpaid. */

export type DunningKind = 'reminder' | 'formal_notice' | 'collection';

export interface DunningLevel {
  /** 1-based level, in ladder order. */
  level: number;
  daysAfterDue: number;
  kind: DunningKind;
}

/** Parses `7:reminder,15:reminder,30:formal_notice,45:collection` into levels sorted by day. */
export function parseDunningLadder(spec: string): DunningLevel[] {
  return spec
    .split(',')
    .map((step) => {
      const [days, kind] = step.split(':');
      return { daysAfterDue: Number(days), kind: kind as DunningKind };
    })
    .sort((a, b) => a.daysAfterDue - b.daysAfterDue)
    .map((step, i) => ({ level: i + 1, ...step }));
}

/**
 * The next level to send and when (epoch ms), given how many were sent already, the due moment
 * and the length of a day; undefined once the ladder is exhausted.
 */
export function nextDunning(
  ladder: DunningLevel[],
  levelsSent: number,
  dueAtMs: number,
  dayMs: number,
): { level: DunningLevel; atMs: number } | undefined {
  const level = ladder[levelsSent];
  return level && { level, atMs: dueAtMs + level.daysAfterDue * dayMs };
}
