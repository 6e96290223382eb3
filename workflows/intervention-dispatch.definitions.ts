import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CollectionPolicy } from './shared/collection';

/** Workflow id of a field job's process. */
export const interventionWorkflowId = (interventionId: string): string => `intervention-${interventionId}`;

export type InterventionPriority = 'critical' | 'high' | 'normal' | 'low';

/** Rules fixed at start: SLA by priority, where escalations go, how far to look for a slot, collection of the invoice. */
export interface DispatchPolicy {
  slaMsByPriority: Record<InterventionPriority, number>;
  dispatcherEmail: string;
  assignmentHorizonDays: number;
  collection: CollectionPolicy;
}

export interface InterventionDispatchInput {
  interventionId: string;
  policy: DispatchPolicy;
}

export type InterventionStep =
  | 'triage'
  | 'assigning'
  | 'awaiting_manual_assignment'
  | 'awaiting_acceptance'
  | 'accepted'
  | 'in_progress'
  | 'on_hold_parts'
  | 'closing'
  | 'billing'
  | 'closed'
  | 'cancelled';

export interface Appointment {
  technicianId: string;
  technicianName: string;
  start: string;
  end: string;
}

export interface PartUse {
  sku: string;
  quantity: number;
}

export interface FieldReport {
  workDone: string;
  labourMinutes: number;
  travelMinutes: number;
  parts: PartUse[];
  /** Serialised units swapped: a component, or the equipment itself when `removedSerial` is its serial number. */
  replacements?: { sku: string; removedSerial?: string; installedSerial: string }[];
}

/** What the job is doing and waiting for (the `interventionStatus` query). */
export interface InterventionStatus {
  interventionId: string;
  step: InterventionStep;
  waitingFor: 'assignment' | 'technician_answer' | 'check_in' | 'report' | 'parts' | 'sign_off' | null;
  appointment?: Appointment;
  declinedBy: string[];
  slaDeadline?: string;
  slaBreached: boolean;
  checkedInAt?: string;
  report?: FieldReport;
  partsRequested?: PartUse[];
  billing?: 'covered' | 'charged' | 'monthly';
  invoice?: { id: string; number: string };
  costCents?: number;
  reason?: string;
}

/** Status of the job, with its SLA deadline. */
export const interventionStatusQuery = defineQuery<InterventionStatus>('interventionStatus');
/** The dispatcher assigns a technician by hand (when nobody fitted, or to override). */
export const assignTechnicianUpdate = defineUpdate<InterventionStatus, [{ technicianId: string; start: string; end: string; by: string }]>(
  'assignTechnician',
);
/** The technician accepts the appointment. */
export const acceptJobUpdate = defineUpdate<InterventionStatus, [{ technicianId: string }]>('acceptJob');
/** The technician declines: the job goes to the next best technician. */
export const declineJobUpdate = defineUpdate<InterventionStatus, [{ technicianId: string; reason: string }]>('declineJob');
/** The technician is on site (stops the SLA clock). */
export const checkInUpdate = defineUpdate<InterventionStatus, [{ technicianId: string; at: string }]>('checkIn');
/** Work done, time spent and parts used from the van. */
export const reportWorkUpdate = defineUpdate<InterventionStatus, [FieldReport]>('reportWork');
/** Parts are missing: the job is on hold until they arrive. */
export const requestPartsUpdate = defineUpdate<InterventionStatus, [{ parts: PartUse[]; note?: string }]>('requestParts');
/** The requested parts arrived (fire and forget from the stores). */
export const partsArrivedSignal = defineSignal('partsArrived');
/** The customer signs off; the job closes and is billed. */
export const completeJobUpdate = defineUpdate<InterventionStatus, [{ signedBy: string; at: string }]>('completeJob');
/** Cancels the job before completion; the appointment is released. */
export const cancelJobUpdate = defineUpdate<InterventionStatus, [{ reason: string; by: string }]>('cancelJob');
