import { AppointmentIcsInput, renderAppointmentIcs } from '../../activities/documents/appointment-ics';

const appointment: AppointmentIcsInput = {
  uid: 'intervention-42@service-backoffice',
  sequence: 0,
  method: 'REQUEST',
  // Monday 30 March 2026, the day after Paris switched to summer time (UTC+2).
  start: '2026-03-30T09:00:00+02:00',
  end: '2026-03-30T11:00:00+02:00',
  title: 'Entretien chaudière',
  description: 'Visite annuelle du contrat d’entretien',
  location: '12 rue de la Paix, 75002 Paris',
  organizer: { name: 'SAV Dupont', email: 'sav@dupont.example' },
  attendees: [
    { name: 'Claire Martin', email: 'claire.martin@example.fr' },
    { name: 'Jean Technicien', email: 'jean@dupont.example' },
  ],
};

/** The content lines, with RFC 5545 folding (CRLF followed by a space or tab) undone. */
function contentLines(ics: string): string[] {
  return ics.replace(/\r\n[ \t]/g, '').split('\r\n');
}

describe('appointment iCalendar', () => {
  it('renders an invitation with the event in UTC, its identity and the attendees', () => {
    const lines = contentLines(renderAppointmentIcs(appointment));
    expect(lines).toEqual(
      expect.arrayContaining([
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'METHOD:REQUEST',
        'BEGIN:VEVENT',
        'UID:intervention-42@service-backoffice',
        'SEQUENCE:0',
        'DTSTART:20260330T070000Z',
        'DTEND:20260330T090000Z',
        'SUMMARY:Entretien chaudière',
        'LOCATION:12 rue de la Paix\\, 75002 Paris',
        'STATUS:CONFIRMED',
        'END:VEVENT',
        'END:VCALENDAR',
      ]),
    );
    expect(lines.find((l) => l.startsWith('ORGANIZER'))).toMatch(/:mailto:sav@dupont\.example$/i);
    const attendees = lines.filter((l) => l.startsWith('ATTENDEE'));
    expect(attendees).toHaveLength(2);
    expect(attendees[0]).toMatch(/:mailto:claire\.martin@example\.fr$/i);
    expect(attendees[1]).toMatch(/:mailto:jean@dupont\.example$/i);
    expect(attendees.every((l) => l.includes('RSVP=TRUE'))).toBe(true);
  });

  it('puts METHOD in the calendar header, before the event', () => {
    const ics = renderAppointmentIcs(appointment);
    expect(ics.indexOf('METHOD:REQUEST')).toBeGreaterThan(ics.indexOf('VERSION:2.0'));
    expect(ics.indexOf('METHOD:REQUEST')).toBeLessThan(ics.indexOf('BEGIN:VEVENT'));
  });

  it('renders a cancellation of the same event with a higher sequence and STATUS:CANCELLED', () => {
    const lines = contentLines(renderAppointmentIcs({ ...appointment, method: 'CANCEL', sequence: 2 }));
    expect(lines).toEqual(
      expect.arrayContaining(['METHOD:CANCEL', 'UID:intervention-42@service-backoffice', 'SEQUENCE:2', 'STATUS:CANCELLED']),
    );
    expect(lines).not.toContain('METHOD:REQUEST');
    expect(lines.filter((l) => l.startsWith('ATTENDEE')).some((l) => l.includes('RSVP=TRUE'))).toBe(false);
  });

  it('separates every line with CRLF and ends with one', () => {
    const ics = renderAppointmentIcs(appointment);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('throws with the package message when the event is invalid', () => {
    expect(() => renderAppointmentIcs({ ...appointment, start: 'not a date' })).toThrow(/intervention-42@service-backoffice.*start/);
    expect(() => renderAppointmentIcs({ ...appointment, organizer: { name: 'SAV', email: 'not-an-email' } })).toThrow(/email/);
  });
});
