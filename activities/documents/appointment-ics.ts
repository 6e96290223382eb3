import { createEvent } from 'ics';

export interface AppointmentIcsInput {
  /** Stable per appointment: a rescheduling or a cancellation reuses it so calendars update the same event. */
  uid: string;
  /** Incremented on every change of the appointment (RFC 5546), or calendars ignore the update. */
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  /** ISO instants. */
  start: string;
  end: string;
  title: string;
  description: string;
  location: string;
  organizer: { name: string; email: string };
  attendees: { name: string; email: string }[];
}

/** Renders an intervention appointment (or its cancellation) as an iCalendar invitation, with times in UTC. */
export function renderAppointmentIcs(input: AppointmentIcsInput): string {
  const cancelled = input.method === 'CANCEL';
  const { error, value } = createEvent({
    productId: 'service-backoffice',
    // The ics package writes this METHOD line into the VCALENDAR header itself.
    method: input.method,
    uid: input.uid,
    sequence: input.sequence,
    status: cancelled ? 'CANCELLED' : 'CONFIRMED',
    start: Date.parse(input.start),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: Date.parse(input.end),
    endInputType: 'utc',
    endOutputType: 'utc',
    title: input.title,
    description: input.description,
    location: input.location,
    organizer: input.organizer,
    // ROLE and PARTSTAT are left to their RFC 5545 defaults (REQ-PARTICIPANT, NEEDS-ACTION).
    attendees: input.attendees.map((attendee) => ({ ...attendee, rsvp: !cancelled })),
  });
  if (error || !value) throw new Error(`Cannot render appointment ${input.uid} as iCalendar: ${error?.message ?? 'no output'}`);
  return value;
}
