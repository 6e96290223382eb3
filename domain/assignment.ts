/** Technician assignment (intervention dispatch): who can take a job, their earliest free slot, and who should get it. */

export interface WorkingHours {
  /** ISO weekdays, 1 = Monday .. 7 = Sunday. */
  days: number[];
  /** Local wall-clock time, 'HH:MM'. */
  start: string;
  end: string;
  /** IANA time zone, e.g. 'Europe/Paris'. */
  timeZone: string;
}

/** A half-open interval [start, end) of ISO instants. */
export interface BusySlot {
  start: string;
  end: string;
}

export interface TechnicianCandidate {
  id: string;
  name: string;
  skills: string[];
  sector: string;
  active: boolean;
  workingHours: WorkingHours;
  /** Existing appointments of the technician. */
  appointments: BusySlot[];
  /** Current load. */
  openJobs: number;
}

export interface AssignmentRequest {
  requiredSkills: string[];
  sector: string;
  durationMinutes: number;
  /** ISO instant: no slot before this (now, or the customer's preferred date). */
  earliestStart: string;
  /** ISO SLA deadline: a slot starting after it is still allowed but ranks below any slot before it. */
  deadline?: string;
  /** How far ahead of earliestStart a slot may start. */
  horizonDays: number;
  /** Technicians who declined this job. */
  excludeTechnicianIds: string[];
  /** Granularity of candidate start times, default 30. */
  slotStepMinutes?: number;
}

export interface Proposal {
  technicianId: string;
  technicianName: string;
  start: string;
  end: string;
  withinDeadline: boolean;
  score: { withinDeadline: boolean; startMs: number; openJobs: number };
}

export interface Rejection {
  technicianId: string;
  reason: 'inactive' | 'declined' | 'missing_skills' | 'other_sector' | 'no_free_slot';
  detail: string;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const WALL_CLOCK_FIELDS = {
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
} as const;

type Interval = [startMs: number, endMs: number];
type WallClock = { year: number; month: number; day: number; hour: number; minute: number };

/** Whether two half-open intervals [start, end) share a moment; touching intervals do not overlap. */
export function overlaps(a: BusySlot, b: BusySlot): boolean {
  return intersects([Date.parse(a.start), Date.parse(a.end)], [Date.parse(b.start), Date.parse(b.end)]);
}

/** Every candidate's proposal (best first) or the reason they cannot take the job (by technician id). */
export function rankTechnicians(
  request: AssignmentRequest,
  candidates: TechnicianCandidate[],
): { proposals: Proposal[]; rejections: Rejection[] } {
  const stepMinutes = request.slotStepMinutes ?? 30;
  if (!(stepMinutes > 0)) throw new RangeError(`slotStepMinutes must be positive, got ${stepMinutes}`);
  const proposals: Proposal[] = [];
  const rejections: Rejection[] = [];
  for (const technician of candidates) {
    const rejection = ineligibility(request, technician);
    const slot = rejection ? undefined : earliestFreeSlot(request, technician, stepMinutes * MINUTE_MS);
    if (slot) proposals.push(proposal(request, technician, slot));
    else rejections.push(rejection ?? noFreeSlot(request, technician));
  }
  return { proposals: proposals.sort(byRank), rejections: rejections.sort((a, b) => compareIds(a.technicianId, b.technicianId)) };
}

/** The best proposal for the job, or why nobody can take it. */
export function chooseTechnician(
  request: AssignmentRequest,
  candidates: TechnicianCandidate[],
): { proposal: Proposal } | { proposal: null; rejections: Rejection[] } {
  const { proposals, rejections } = rankTechnicians(request, candidates);
  return proposals.length > 0 ? { proposal: proposals[0] } : { proposal: null, rejections };
}

function ineligibility(request: AssignmentRequest, technician: TechnicianCandidate): Rejection | undefined {
  const reject = (reason: Rejection['reason'], detail: string): Rejection => ({ technicianId: technician.id, reason, detail });
  if (!technician.active) return reject('inactive', `${technician.name} is inactive`);
  if (request.excludeTechnicianIds.includes(technician.id)) return reject('declined', `${technician.name} declined this job`);
  const skills = new Set(technician.skills.map(normalize));
  const missing = request.requiredSkills.filter((skill) => !skills.has(normalize(skill)));
  if (missing.length > 0) return reject('missing_skills', `missing skills: ${missing.join(', ')}`);
  if (normalize(technician.sector) !== normalize(request.sector)) {
    return reject('other_sector', `works in sector ${technician.sector}, the job is in ${request.sector}`);
  }
  return undefined;
}

function noFreeSlot(request: AssignmentRequest, technician: TechnicianCandidate): Rejection {
  const detail = `no free ${request.durationMinutes}-minute slot within ${request.horizonDays} days from ${request.earliestStart}`;
  return { technicianId: technician.id, reason: 'no_free_slot', detail };
}

/** The earliest slot on the step grid inside one day's working hours that overlaps no appointment. */
function earliestFreeSlot(request: AssignmentRequest, technician: TechnicianCandidate, stepMs: number): Interval | undefined {
  const durationMs = request.durationMinutes * MINUTE_MS;
  const fromMs = ceilTo(Date.parse(request.earliestStart), stepMs);
  const untilMs = Date.parse(request.earliestStart) + request.horizonDays * DAY_MS;
  const busy = technician.appointments.map((a): Interval => [Date.parse(a.start), Date.parse(a.end)]);
  for (const [dayStart, dayEnd] of workingDays(technician.workingHours, fromMs, request.horizonDays)) {
    let start = Math.max(fromMs, ceilTo(dayStart, stepMs));
    while (start < untilMs && start + durationMs <= dayEnd) {
      const slot: Interval = [start, start + durationMs];
      const conflict = busy.find((appointment) => intersects(slot, appointment));
      if (!conflict) return slot;
      start = ceilTo(conflict[1], stepMs);
    }
  }
  return undefined;
}

/** Minutes of working hours (local working days and times, DST included) inside [fromMs, toMs): utilisation KPIs. */
export function workingMinutesBetween(hours: WorkingHours, fromMs: number, toMs: number): number {
  const total = workingDays(hours, fromMs, Math.ceil((toMs - fromMs) / DAY_MS)).reduce(
    (sum, [start, end]) => sum + Math.max(0, Math.min(end, toMs) - Math.max(start, fromMs)),
    0,
  );
  return Math.round(total / MINUTE_MS);
}

/** Working hours of each working day from the local day of fromMs on, as instants (so DST shifts them). */
function workingDays(hours: WorkingHours, fromMs: number, horizonDays: number): Interval[] {
  const first = wallClock(fromMs, hours.timeZone);
  const windows: Interval[] = [];
  // One extra day: the horizon counts from an instant, not from local midnight.
  for (let i = 0; i <= horizonDays + 1; i++) {
    const date = new Date(Date.UTC(first.year, first.month - 1, first.day + i));
    if (!hours.days.includes(date.getUTCDay() || 7)) continue;
    const day = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
    const at = (hhmm: string) => instantOf({ ...day, ...hoursMinutes(hhmm) }, hours.timeZone);
    windows.push([at(hours.start), at(hours.end)]);
  }
  return windows;
}

/** The instant at which clocks in timeZone show the wall-clock time (a time skipped by DST lands after the gap). */
function instantOf(wall: WallClock, timeZone: string): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  // Second pass: the offset at the first guess may be the one from the other side of a DST change.
  return asUtc - offsetAt(asUtc - offsetAt(asUtc, timeZone), timeZone);
}

function offsetAt(ms: number, timeZone: string): number {
  const wall = wallClock(ms, timeZone);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute) - Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

function wallClock(ms: number, timeZone: string): WallClock {
  const format = new Intl.DateTimeFormat('en-US', { ...WALL_CLOCK_FIELDS, timeZone });
  const parts = format.formatToParts(new Date(ms));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute') };
}

function proposal(request: AssignmentRequest, technician: TechnicianCandidate, [startMs, endMs]: Interval): Proposal {
  const withinDeadline = request.deadline === undefined || startMs <= Date.parse(request.deadline);
  return {
    technicianId: technician.id,
    technicianName: technician.name,
    start: new Date(startMs).toISOString(),
    end: new Date(endMs).toISOString(),
    withinDeadline,
    score: { withinDeadline, startMs, openJobs: technician.openJobs },
  };
}

function byRank(a: Proposal, b: Proposal): number {
  return (
    Number(b.score.withinDeadline) - Number(a.score.withinDeadline) ||
    a.score.startMs - b.score.startMs ||
    a.score.openJobs - b.score.openJobs ||
    compareIds(a.technicianId, b.technicianId)
  );
}

const intersects = (a: Interval, b: Interval): boolean => a[0] < b[1] && b[0] < a[1];
const ceilTo = (ms: number, stepMs: number): number => Math.ceil(ms / stepMs) * stepMs;
const normalize = (text: string): string => text.trim().toLowerCase();
const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function hoursMinutes(hhmm: string): { hour: number; minute: number } {
  const [hour, minute] = hhmm.split(':').map(Number);
  return { hour, minute };
}
