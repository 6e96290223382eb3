import {
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { shortActivity } from './shared/activity-options';
import { BusinessKey, CustomerId, ProcessStatus, SlaBreached, TechnicianId, WaitingFor } from './shared/search-attributes';
import { sendAndCollectInvoice } from './invoice-collection';
import {
  acceptJobUpdate,
  assignTechnicianUpdate,
  cancelJobUpdate,
  checkInUpdate,
  completeJobUpdate,
  declineJobUpdate,
  interventionStatusQuery,
  partsArrivedSignal,
  reportWorkUpdate,
  requestPartsUpdate,
  type InterventionDispatchInput,
  type InterventionStatus,
  type InterventionStep,
  type PartUse,
} from './intervention-dispatch.definitions';

const {
  triageIntervention,
  proposeAssignment,
  bookAppointment,
  releaseAppointment,
  notifyAppointment,
  escalateToDispatcher,
  setInterventionStatus,
  recordFieldReport,
  closeIntervention,
  decideInterventionBilling,
  issueInterventionInvoice,
  sendEmail,
} = proxyActivities<Activities>(shortActivity);

const WAITING_FOR: Partial<Record<InterventionStep, InterventionStatus['waitingFor']>> = {
  awaiting_manual_assignment: 'assignment',
  awaiting_acceptance: 'technician_answer',
  accepted: 'check_in',
  in_progress: 'report',
  on_hold_parts: 'parts',
};
const FINAL: InterventionStep[] = ['closing', 'billing', 'closed', 'cancelled'];

/**
 * Intervention dispatch, one durable process per field job: triage (SLA deadline), assignment
 * (best technician, or the dispatcher by hand), appointment with .ics, accept or decline, check-in
 * against the SLA clock, report with parts from the van, parts hold, sign-off, field report by
 * email, then billing: covered (cost recorded), charged (invoice + collection) or monthly.
 */
export async function interventionDispatch({ interventionId, policy }: InterventionDispatchInput): Promise<InterventionStatus> {
  const { workflowId } = workflowInfo();
  const status: InterventionStatus = { interventionId, step: 'triage', waitingFor: null, declinedBy: [], slaBreached: false };
  let manual: { technicianId: string; start: string; end: string } | undefined;
  let answer: { accepted: true } | { accepted: false; technicianId: string } | undefined;
  let reportToSave = false;
  let partsRequest: { parts: PartUse[]; note?: string } | undefined;
  let partsArrived = false;
  let signOff: { signedBy: string; at: string } | undefined;
  let cancelRequest: { reason: string; by: string } | undefined;
  let sequence = 0; // of the appointment notices (.ics SEQUENCE)
  let partsRounds = 0;

  const expect = (steps: InterventionStep[], what: string) => {
    if (!steps.includes(status.step)) throw new Error(`Cannot ${what}: the job is ${status.step.replace(/_/g, ' ')}`);
  };
  const assignedTo = (technicianId: string) => {
    if (status.appointment?.technicianId !== technicianId) throw new Error('This job is not assigned to that technician');
  };
  // Updates answer once the process has acted on them (the caller sees the new step). Histories
  // recorded before this change answered at once: `patched` keeps them replaying as they ran.
  // (Returning the status itself, not a promise, on the old path keeps the old command order.)
  const afterActing = (done: () => boolean): InterventionStatus | Promise<InterventionStatus> =>
    patched('updates-answer-after-acting') ? condition(done).then(() => status) : status;
  setHandler(interventionStatusQuery, () => status);
  setHandler(
    assignTechnicianUpdate,
    (input) => {
      manual = input;
      return afterActing(() => status.step !== 'awaiting_manual_assignment');
    },
    {
      validator: (_input) => {
        expect(['awaiting_manual_assignment'], 'assign by hand');
        if (manual) throw new Error('A technician is already being assigned');
      },
    },
  );
  setHandler(
    acceptJobUpdate,
    () => {
      answer = { accepted: true };
      return afterActing(() => status.step !== 'awaiting_acceptance');
    },
    {
      validator: ({ technicianId }) => {
        expect(['awaiting_acceptance'], 'accept');
        assignedTo(technicianId);
        if (answer) throw new Error('The technician already answered');
      },
    },
  );
  setHandler(
    declineJobUpdate,
    ({ technicianId }) => {
      answer = { accepted: false, technicianId };
      return afterActing(() => status.step !== 'awaiting_acceptance' || status.appointment?.technicianId !== technicianId);
    },
    {
      validator: ({ technicianId }) => {
        expect(['awaiting_acceptance'], 'decline');
        assignedTo(technicianId);
        if (answer) throw new Error('The technician already answered');
      },
    },
  );
  setHandler(
    checkInUpdate,
    ({ at }) => {
      status.checkedInAt = at;
      return afterActing(() => status.step !== 'accepted');
    },
    {
      validator: ({ technicianId }) => {
        expect(['accepted'], 'check in');
        assignedTo(technicianId);
        if (status.checkedInAt) throw new Error('Already checked in');
      },
    },
  );
  setHandler(
    reportWorkUpdate,
    (report) => {
      status.report = report;
      reportToSave = true;
      return afterActing(() => !reportToSave);
    },
    { validator: (_report) => expect(['in_progress'], 'report work (check in first)') },
  );
  setHandler(
    requestPartsUpdate,
    (request) => {
      partsRequest = request;
      return afterActing(() => status.step !== 'in_progress');
    },
    {
      validator: (_request) => {
        expect(['in_progress'], 'request parts');
        if (partsRequest || signOff) throw new Error('The job is already on hold or being completed');
      },
    },
  );
  setHandler(partsArrivedSignal, () => {
    partsArrived = true;
  });
  setHandler(
    completeJobUpdate,
    (input) => {
      signOff = input;
      return afterActing(() => FINAL.includes(status.step));
    },
    {
      validator: (_input) => {
        expect(['in_progress'], 'complete');
        if (!status.report) throw new Error('Cannot complete: report the work done first');
        if (signOff || partsRequest || cancelRequest) throw new Error('The job is already being completed, held or cancelled');
      },
    },
  );
  setHandler(
    cancelJobUpdate,
    (request) => {
      cancelRequest = request;
      return afterActing(() => status.step === 'cancelled');
    },
    {
      validator: (_request) => {
        if (FINAL.includes(status.step) || cancelRequest || signOff)
          throw new Error(`Cannot cancel: the job is ${status.step.replace(/_/g, ' ')}`);
      },
    },
  );

  /** Moves to a step and shows it in the Temporal UI. */
  function enter(step: InterventionStep): void {
    status.step = step;
    status.waitingFor = WAITING_FOR[step] ?? null;
    const who = status.appointment ? ` with ${status.appointment.technicianName}` : '';
    const summary = `Intervention ${interventionId}: ${step.replace(/_/g, ' ')}${who}${status.slaBreached ? ' (SLA breached)' : ''}`;
    upsertSearchAttributes([
      { key: ProcessStatus, value: step },
      { key: WaitingFor, value: status.waitingFor ?? 'nothing' },
      { key: TechnicianId, value: status.appointment?.technicianId ?? 'none' },
      { key: SlaBreached, value: status.slaBreached },
    ]);
    upsertMemo({ summary });
    setCurrentDetails(summary);
  }

  // 1. Triage: priority and SLA deadline.
  const job = await triageIntervention({ interventionId, slaMsByPriority: policy.slaMsByPriority });
  status.slaDeadline = job.slaDeadline;
  upsertSearchAttributes([
    { key: CustomerId, value: job.customerId },
    { key: BusinessKey, value: interventionId },
  ]);

  // 5. The SLA clock runs beside everything else: no check-in by the deadline escalates, and the job goes on.
  const slaWatch = (async () => {
    const onTime = await condition(
      () => status.checkedInAt !== undefined || FINAL.includes(status.step),
      Math.max(1, Date.parse(job.slaDeadline) - Date.now()),
    );
    if (onTime) return;
    status.slaBreached = true;
    enter(status.step);
    await escalateToDispatcher({ interventionId, kind: 'sla_breach', key: `${workflowId}:sla-breach` });
  })();

  const result = await lifecycle();
  await slaWatch;
  await condition(allHandlersFinished);
  return result;

  async function lifecycle(): Promise<InterventionStatus> {
    // 2-4. Assign, tell the technician and the customer, and get an answer (decline -> next best).
    for (;;) {
      if (!status.appointment) {
        enter('assigning');
        const proposal = await proposeAssignment({ interventionId, exclude: status.declinedBy, horizonDays: policy.assignmentHorizonDays });
        if (proposal.found) {
          // Another job may have taken the slot since the proposal: then propose again.
          status.appointment = await bookAppointment({ interventionId, ...proposal.slot, onlyIfFree: true });
          if (!status.appointment) continue;
        } else {
          enter('awaiting_manual_assignment');
          await escalateToDispatcher({
            interventionId,
            kind: 'no_technician',
            detail: proposal.why,
            key: `${workflowId}:no-technician-${status.declinedBy.length}`,
          });
          await condition(() => manual !== undefined || cancelRequest !== undefined);
          if (cancelRequest) return cancel();
          status.appointment = await bookAppointment({ interventionId, ...manual! });
          manual = undefined;
        }
      }
      sequence += 1;
      await notifyAppointment({ interventionId, method: 'REQUEST', sequence, key: `${workflowId}:appointment-${sequence}` });
      answer = undefined;
      enter('awaiting_acceptance');
      await condition(() => answer !== undefined || cancelRequest !== undefined);
      if (cancelRequest) return cancel();
      const reply = answer!;
      if (reply.accepted) break;
      status.declinedBy.push(reply.technicianId);
      status.appointment = undefined;
      await releaseAppointment({ interventionId });
    }
    enter('accepted');
    await setInterventionStatus({ interventionId, status: 'accepted' });

    // 4. On site: check-in, report (parts from the van), parts hold, sign-off.
    await condition(() => status.checkedInAt !== undefined || cancelRequest !== undefined);
    if (cancelRequest) return cancel();
    enter('in_progress');
    await setInterventionStatus({ interventionId, status: 'in_progress', checkedInAt: status.checkedInAt });
    for (;;) {
      await condition(() => reportToSave || partsRequest !== undefined || signOff !== undefined || cancelRequest !== undefined);
      if (cancelRequest) return cancel();
      if (reportToSave) {
        reportToSave = false;
        await recordFieldReport({ interventionId, report: status.report! });
      } else if (partsRequest) {
        status.partsRequested = partsRequest.parts;
        enter('on_hold_parts');
        partsArrived = false; // before the API can see the hold and send the arrival
        await setInterventionStatus({ interventionId, status: 'on_hold_parts' });
        await escalateToDispatcher({
          interventionId,
          kind: 'parts_request',
          parts: partsRequest.parts,
          detail: partsRequest.note,
          key: `${workflowId}:parts-${++partsRounds}`,
        });
        await condition(() => partsArrived || cancelRequest !== undefined);
        if (cancelRequest) return cancel();
        partsRequest = undefined;
        status.partsRequested = undefined;
        enter('in_progress');
        await setInterventionStatus({ interventionId, status: 'in_progress' });
      } else {
        break;
      }
    }

    // 6. Close: parts leave the van, the field report goes to the customer as PDF.
    enter('closing');
    await closeIntervention({ interventionId, signedBy: signOff!.signedBy, signedAt: signOff!.at, key: `${workflowId}:close` });
    await sendEmail({ key: `${workflowId}:field-report`, template: 'fieldReport', to: job.billingEmail, payload: { interventionId } });

    // 7. Billing decided at close: covered (cost recorded), charged now, or on the monthly invoice.
    enter('billing');
    const billing = await decideInterventionBilling({ interventionId });
    status.billing = billing.billing;
    status.costCents = billing.costCents;
    if (billing.billing === 'charged') {
      const invoice = await issueInterventionInvoice({
        interventionIds: [interventionId],
        sourceKey: workflowId,
        sourceKind: 'intervention',
      });
      status.invoice = { id: invoice.id, number: invoice.number };
      await sendAndCollectInvoice({ invoice, customer: job, policy: policy.collection, emailKey: `${workflowId}:invoice-email` });
    }
    await setInterventionStatus({ interventionId, status: 'closed' });
    enter('closed');
    return status;
  }

  /** Releases the appointment (the technician and the customer get a cancelled .ics) and records why. */
  async function cancel(): Promise<InterventionStatus> {
    status.reason = `Cancelled by ${cancelRequest!.by}: ${cancelRequest!.reason}`;
    if (status.appointment) {
      await notifyAppointment({ interventionId, method: 'CANCEL', sequence: sequence + 1, key: `${workflowId}:appointment-cancel` });
      await releaseAppointment({ interventionId });
    }
    await setInterventionStatus({ interventionId, status: 'cancelled', cancelReason: status.reason });
    enter('cancelled');
    return status;
  }
}
