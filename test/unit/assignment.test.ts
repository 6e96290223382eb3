import { AssignmentRequest, chooseTechnician, overlaps, rankTechnicians, TechnicianCandidate, WorkingHours } from '../../domain/assignment';

// Monday 15 June 2026; Paris is UTC+2 in summer, so 08:00-17:00 local is 06:00Z-15:00Z.
const MONDAY = '2026-06-15';
const WEEKDAYS_IN_PARIS: WorkingHours = { days: [1, 2, 3, 4, 5], start: '08:00', end: '17:00', timeZone: 'Europe/Paris' };
const EVERY_DAY_IN_PARIS: WorkingHours = { ...WEEKDAYS_IN_PARIS, days: [1, 2, 3, 4, 5, 6, 7] };

function technician(id: string, overrides: Partial<TechnicianCandidate> = {}): TechnicianCandidate {
  return {
    id,
    name: `Tech ${id}`,
    skills: ['gas', 'refrigerant'],
    sector: 'Paris-Est',
    active: true,
    workingHours: WEEKDAYS_IN_PARIS,
    appointments: [],
    openJobs: 0,
    ...overrides,
  };
}

function request(overrides: Partial<AssignmentRequest> = {}): AssignmentRequest {
  return {
    requiredSkills: ['gas'],
    sector: 'Paris-Est',
    durationMinutes: 120,
    earliestStart: `${MONDAY}T05:00:00Z`,
    horizonDays: 14,
    excludeTechnicianIds: [],
    ...overrides,
  };
}

function chosen(req: AssignmentRequest, candidates: TechnicianCandidate[]) {
  const result = chooseTechnician(req, candidates);
  if (!result.proposal) throw new Error(`nobody chosen: ${JSON.stringify(result.rejections)}`);
  return result.proposal;
}

describe('eligibility', () => {
  it('only proposes technicians with every required skill, compared case-insensitively', () => {
    const req = request({ requiredSkills: ['Gas', 'REFRIGERANT'] });
    const { proposals, rejections } = rankTechnicians(req, [
      technician('a', { skills: ['gas'] }),
      technician('b', { skills: ['GAS', 'Refrigerant', 'electricity'] }),
      technician('c', { skills: [] }),
    ]);
    expect(proposals.map((p) => p.technicianId)).toEqual(['b']);
    expect(rejections).toEqual([
      { technicianId: 'a', reason: 'missing_skills', detail: 'missing skills: REFRIGERANT' },
      { technicianId: 'c', reason: 'missing_skills', detail: 'missing skills: Gas, REFRIGERANT' },
    ]);
  });

  it('only proposes technicians of the job sector, compared case-insensitively', () => {
    const { proposals, rejections } = rankTechnicians(request({ sector: 'paris-est' }), [
      technician('a', { sector: 'Lyon' }),
      technician('b', { sector: 'PARIS-EST' }),
    ]);
    expect(proposals.map((p) => p.technicianId)).toEqual(['b']);
    expect(rejections).toEqual([{ technicianId: 'a', reason: 'other_sector', detail: 'works in sector Lyon, the job is in paris-est' }]);
  });

  it('skips a technician who declined the job and chooses the next best', () => {
    const candidates = [technician('a', { openJobs: 0 }), technician('b', { openJobs: 4 })];
    expect(chosen(request(), candidates).technicianId).toBe('a');

    const { proposals, rejections } = rankTechnicians(request({ excludeTechnicianIds: ['a'] }), candidates);
    expect(proposals.map((p) => p.technicianId)).toEqual(['b']);
    expect(rejections).toEqual([{ technicianId: 'a', reason: 'declined', detail: 'Tech a declined this job' }]);
  });

  it('returns no proposal and one rejection per technician with its reason when nobody can take the job', () => {
    const bookedAllWeek = { start: `${MONDAY}T00:00:00Z`, end: '2026-06-22T00:00:00Z' };
    const result = chooseTechnician(request({ excludeTechnicianIds: ['b'], horizonDays: 3 }), [
      technician('e', { appointments: [bookedAllWeek] }),
      technician('d', { sector: 'Lyon' }),
      technician('c', { skills: ['electricity'] }),
      technician('b'),
      technician('a', { active: false }),
    ]);
    expect(result.proposal).toBeNull();
    if (result.proposal) return;
    expect(result.rejections.map((r) => [r.technicianId, r.reason])).toEqual([
      ['a', 'inactive'],
      ['b', 'declined'],
      ['c', 'missing_skills'],
      ['d', 'other_sector'],
      ['e', 'no_free_slot'],
    ]);
    expect(result.rejections[4].detail).toBe(`no free 120-minute slot within 3 days from ${MONDAY}T05:00:00Z`);
  });
});

describe('earliest free slot', () => {
  it('starts at the beginning of working hours in the technician time zone', () => {
    const proposal = chosen(request(), [technician('a')]);
    expect(proposal).toMatchObject({ start: `${MONDAY}T06:00:00.000Z`, end: `${MONDAY}T08:00:00.000Z`, withinDeadline: true });
  });

  it('rounds the earliest start up to the slot step', () => {
    const earliestStart = `${MONDAY}T07:10:00Z`;
    expect(chosen(request({ earliestStart }), [technician('a')]).start).toBe(`${MONDAY}T07:30:00.000Z`);
    expect(chosen(request({ earliestStart, slotStepMinutes: 15 }), [technician('a')]).start).toBe(`${MONDAY}T07:15:00.000Z`);
  });

  it('pushes the slot after an overlapping appointment to the next step', () => {
    const appointments = [{ start: `${MONDAY}T06:00:00Z`, end: `${MONDAY}T07:15:00Z` }];
    expect(chosen(request(), [technician('a', { appointments })]).start).toBe(`${MONDAY}T07:30:00.000Z`);
  });

  it('fits a job in the gap between appointments only when the gap is long enough', () => {
    const appointments = [
      { start: `${MONDAY}T06:00:00Z`, end: `${MONDAY}T07:00:00Z` },
      { start: `${MONDAY}T08:30:00Z`, end: `${MONDAY}T09:00:00Z` },
      { start: `${MONDAY}T11:00:00Z`, end: `${MONDAY}T12:00:00Z` },
    ];
    // 07:00-08:30 is 90 minutes: too short for 120; 09:00-11:00 fits exactly (touching is not overlapping).
    expect(chosen(request(), [technician('a', { appointments })]).start).toBe(`${MONDAY}T09:00:00.000Z`);
  });

  it('moves a job longer than the rest of the working day to the next working day, skipping the weekend', () => {
    // Friday 19 June, 15:00 in Paris: a 3-hour job would end after 17:00.
    const req = request({ earliestStart: '2026-06-19T13:00:00Z', durationMinutes: 180 });
    expect(chosen(req, [technician('a')]).start).toBe('2026-06-22T06:00:00.000Z');
    expect(chosen(req, [technician('a', { workingHours: EVERY_DAY_IN_PARIS })]).start).toBe('2026-06-20T06:00:00.000Z');
  });

  it('never proposes a slot longer than a working day', () => {
    const { proposals, rejections } = rankTechnicians(request({ durationMinutes: 10 * 60 }), [technician('a')]);
    expect(proposals).toEqual([]);
    expect(rejections.map((r) => r.reason)).toEqual(['no_free_slot']);
  });

  it('keeps working hours on Paris wall-clock time across the spring DST change', () => {
    // Friday 27 March, 16:30 CET (UTC+1); Monday 30 March is CEST (UTC+2), so 08:00 local is 06:00Z.
    const afterWeekend = request({ earliestStart: '2026-03-27T15:30:00Z' });
    expect(chosen(afterWeekend, [technician('a')]).start).toBe('2026-03-30T06:00:00.000Z');

    // Sunday 29 March itself: the clocks jump at 02:00, the day's hours are 08:00-17:00 CEST = 06:00Z-15:00Z.
    const everyDay = technician('a', { workingHours: EVERY_DAY_IN_PARIS });
    expect(chosen(request({ earliestStart: '2026-03-28T17:00:00Z' }), [everyDay]).start).toBe('2026-03-29T06:00:00.000Z');
    const endsAtClosing = chosen(request({ earliestStart: '2026-03-29T13:00:00Z' }), [everyDay]);
    expect([endsAtClosing.start, endsAtClosing.end]).toEqual(['2026-03-29T13:00:00.000Z', '2026-03-29T15:00:00.000Z']);
    expect(chosen(request({ earliestStart: '2026-03-29T13:30:00Z' }), [everyDay]).start).toBe('2026-03-30T06:00:00.000Z');
  });

  it('keeps working hours on Paris wall-clock time across the autumn DST change', () => {
    // Saturday 24 October, 16:00 CEST: too late for 2 hours; Sunday 25 October is CET (UTC+1), so 08:00 is 07:00Z.
    const everyDay = technician('a', { workingHours: EVERY_DAY_IN_PARIS });
    expect(chosen(request({ earliestStart: '2026-10-24T14:00:00Z' }), [everyDay]).start).toBe('2026-10-25T07:00:00.000Z');
    expect(chosen(request({ earliestStart: '2026-10-24T05:00:00Z' }), [everyDay]).start).toBe('2026-10-24T06:00:00.000Z');
  });

  it('places night on-call hours correctly in the night of the autumn DST change', () => {
    // On 25 October 01:00 is still CEST (23:00Z the day before); the clocks go back at 03:00 CEST.
    const onCall = technician('a', { workingHours: { ...EVERY_DAY_IN_PARIS, start: '01:00', end: '06:00' } });
    const proposal = chosen(request({ earliestStart: '2026-10-24T20:00:00Z', durationMinutes: 300 }), [onCall]);
    // 01:00 CEST to 06:00 CET is six hours of real time, so a five-hour job fits from the start.
    expect([proposal.start, proposal.end]).toEqual(['2026-10-24T23:00:00.000Z', '2026-10-25T04:00:00.000Z']);
  });

  it('finds no slot beyond the horizon', () => {
    const req = request({ earliestStart: '2026-06-19T16:00:00Z', horizonDays: 2 }); // Friday evening, weekend ahead
    expect(chooseTechnician(req, [technician('a')]).proposal).toBeNull();
    expect(chosen({ ...req, horizonDays: 3 }, [technician('a')]).start).toBe('2026-06-22T06:00:00.000Z');
  });

  it('rejects a non-positive slot step instead of looping forever', () => {
    expect(() => rankTechnicians(request({ slotStepMinutes: 0 }), [technician('a')])).toThrow(RangeError);
  });
});

describe('ranking', () => {
  const deadline = `${MONDAY}T12:00:00Z`;

  it('prefers a within-deadline slot over a lighter-loaded technician only when the latter slot is past the deadline', () => {
    const heavy = technician('heavy', { openJobs: 5 });
    const lightBookedMonday = technician('light', {
      openJobs: 0,
      appointments: [{ start: `${MONDAY}T06:00:00Z`, end: `${MONDAY}T15:00:00Z` }],
    });
    const { proposals } = rankTechnicians(request({ deadline }), [lightBookedMonday, heavy]);
    expect(proposals.map((p) => [p.technicianId, p.start, p.withinDeadline])).toEqual([
      ['heavy', `${MONDAY}T06:00:00.000Z`, true],
      ['light', '2026-06-16T06:00:00.000Z', false],
    ]);

    const lightFreeMonday = technician('light', { openJobs: 0 });
    expect(chosen(request({ deadline }), [heavy, lightFreeMonday])).toMatchObject({ technicianId: 'light', withinDeadline: true });
  });

  it('counts a slot starting exactly at the deadline as within it', () => {
    const proposal = chosen(request({ deadline: `${MONDAY}T06:00:00Z` }), [technician('a')]);
    expect(proposal.withinDeadline).toBe(true);
    expect(proposal.score).toEqual({ withinDeadline: true, startMs: Date.parse(`${MONDAY}T06:00:00Z`), openJobs: 0 });
  });

  it('breaks ties between equal slots by the fewest open jobs, then by technician id', () => {
    const { proposals } = rankTechnicians(request(), [
      technician('c', { openJobs: 2 }),
      technician('b', { openJobs: 1 }),
      technician('d', { openJobs: 3 }),
      technician('a', { openJobs: 2 }),
    ]);
    expect(proposals.map((p) => p.technicianId)).toEqual(['b', 'a', 'c', 'd']);
  });

  it('prefers the earlier slot over the lighter load', () => {
    const lightLater = technician('light', { openJobs: 0, appointments: [{ start: `${MONDAY}T06:00:00Z`, end: `${MONDAY}T07:00:00Z` }] });
    expect(chosen(request(), [lightLater, technician('heavy', { openJobs: 9 })]).technicianId).toBe('heavy');
  });

  it('gives the same result whatever the order of the candidates', () => {
    const candidates = [
      technician('a', { openJobs: 2 }),
      technician('b', { openJobs: 2 }),
      technician('c', { openJobs: 1, appointments: [{ start: `${MONDAY}T06:00:00Z`, end: `${MONDAY}T08:00:00Z` }] }),
      technician('d', { openJobs: 0, active: false }),
      technician('e', { openJobs: 0, sector: 'Lyon' }),
      technician('f', { openJobs: 1 }),
    ];
    const expected = rankTechnicians(request({ deadline }), candidates);
    expect(expected.proposals.map((p) => p.technicianId)).toEqual(['f', 'a', 'b', 'c']);
    const orders = [[...candidates].reverse(), [3, 0, 5, 1, 4, 2].map((i) => candidates[i]), [2, 4, 1, 5, 0, 3].map((i) => candidates[i])];
    for (const order of orders) expect(rankTechnicians(request({ deadline }), order)).toEqual(expected);
  });
});

describe('overlaps', () => {
  const slot = (start: string, end: string) => ({ start: `${MONDAY}T${start}:00Z`, end: `${MONDAY}T${end}:00Z` });

  it('treats intervals as half-open, so touching intervals do not overlap', () => {
    expect(overlaps(slot('08:00', '09:00'), slot('09:00', '10:00'))).toBe(false);
    expect(overlaps(slot('09:00', '10:00'), slot('08:00', '09:00'))).toBe(false);
  });

  it('detects partial and contained overlaps', () => {
    expect(overlaps(slot('08:00', '09:30'), slot('09:00', '10:00'))).toBe(true);
    expect(overlaps(slot('08:00', '12:00'), slot('09:00', '10:00'))).toBe(true);
    expect(overlaps(slot('09:00', '10:00'), slot('09:00', '10:00'))).toBe(true);
  });

  it('compares instants, not strings, across time zone offsets', () => {
    expect(overlaps({ start: '2026-06-15T10:00:00+02:00', end: '2026-06-15T11:00:00+02:00' }, slot('08:30', '09:30'))).toBe(true);
  });
});
