import {
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  executeChild,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DecisionOverride } from '../domain/warranty';
import { formatEuros } from '../domain/money';
import { shortActivity } from './shared/activity-options';
import { ApprovalGate } from './shared/approval';
import { BusinessKey, CustomerId, ProcessStatus, SerialNumber, SupplierId, WaitingFor } from './shared/search-attributes';
import { interventionDispatch } from './intervention-dispatch';
import { interventionWorkflowId } from './intervention-dispatch.definitions';
import { sendAndCollectInvoice } from './invoice-collection';
import { costBorne, decisionApproval, quoteApproval } from './warranty-claim.state';
import {
  decideClaimUpdate,
  reportInspectionUpdate,
  supplierAnswerUpdate,
  warrantyClaimStatusQuery,
  type ClaimDecisionInput,
  type ClaimStep,
  type Diagnosis,
  type SupplierAnswer,
  type WarrantyClaimInput,
  type WarrantyClaimStatus,
} from './warranty-claim.definitions';

const {
  loadWarrantyClaim,
  setClaimStatus,
  startClaimIntervention,
  recordDiagnosis,
  assessCoverage,
  recordClaimDecision,
  prepareQuote,
  settleClaim,
  invoiceClaim,
  creditCoveredWork,
  extendRepairWarranty,
  openSupplierClaim,
  remindSupplier,
  recordSupplierAnswer,
  closeWarrantyClaim,
  sendEmail,
} = proxyActivities<Activities>(shortActivity);

const WAITING_FOR: Partial<Record<ClaimStep, WarrantyClaimStatus['waitingFor']>> = {
  awaiting_inspection: 'inspection_report',
  awaiting_decision: 'decision',
  awaiting_approval: 'approval',
  awaiting_customer: 'customer',
  repairing: 'repair',
  awaiting_supplier: 'supplier',
};

/**
 * A warranty claim on an equipment of the installed base, one durable process: inspection when the
 * fault must be seen first, coverage line by line (warranties, contract, exclusions), the decision
 * (goodwill or a large cost needs the warranty manager), a quote for what is not covered, the
 * repair through an intervention, the money (invoice, or credit note for work already invoiced),
 * the supplier's warranty claimed back to its answer, and the warranty extension.
 */
export async function warrantyClaim({ claimId, policy }: WarrantyClaimInput): Promise<WarrantyClaimStatus> {
  const { workflowId } = workflowInfo();
  const gate = new ApprovalGate();
  const status: WarrantyClaimStatus = {
    claimId,
    serialNumber: '',
    step: 'intake',
    waitingFor: null,
    stage: null,
    lines: [],
    amounts: { customerCents: 0, costCents: 0, claimedFromSupplierCents: 0, recoveredCents: 0, creditedCents: 0 },
    invoices: [],
  };
  let diagnosis: Diagnosis | undefined;
  let decision: ClaimDecisionInput | undefined;
  let answer: SupplierAnswer | undefined;
  let outcomeSent = false;

  const expect = (step: ClaimStep, what: string) => {
    if (status.step !== step) throw new Error(`Cannot ${what}: the claim is ${status.step.replace(/_/g, ' ')}`);
  };
  setHandler(warrantyClaimStatusQuery, () => status);
  setHandler(
    reportInspectionUpdate,
    async (input) => {
      diagnosis = input;
      await condition(() => status.stage !== null);
      return status;
    },
    {
      validator: (_input) => {
        expect('awaiting_inspection', 'report an inspection');
        if (diagnosis) throw new Error('The inspection is already reported');
      },
    },
  );
  setHandler(
    decideClaimUpdate,
    async (input) => {
      decision = input;
      // Answers once the decision is taken in (goodwill then waits for the approval, which may take days).
      await condition(() => status.step !== 'awaiting_decision');
      return status;
    },
    {
      validator: (_input) => {
        expect('awaiting_decision', 'decide');
        if (decision) throw new Error('The claim is already decided');
      },
    },
  );
  setHandler(
    supplierAnswerUpdate,
    async (input) => {
      answer = input;
      await condition(() => status.step !== 'awaiting_supplier');
      return status;
    },
    {
      validator: (_input) => {
        expect('awaiting_supplier', "record the supplier's answer");
        if (answer) throw new Error('The supplier already answered');
      },
    },
  );

  /** Moves to a step and shows it in the Temporal UI and the read model. */
  async function enter(step: ClaimStep): Promise<void> {
    status.step = step;
    status.waitingFor = WAITING_FOR[step] ?? null;
    const due = status.amounts.customerCents ? `, ${formatEuros(status.amounts.customerCents)} HT for the customer` : '';
    const summary = `Claim on ${status.serialNumber}: ${step.replace(/_/g, ' ')}${status.decision ? ` (${status.decision.replace(/_/g, ' ')}${due})` : ''}`;
    upsertSearchAttributes([
      { key: ProcessStatus, value: step },
      { key: WaitingFor, value: status.waitingFor ?? 'nothing' },
    ]);
    upsertMemo({ summary });
    setCurrentDetails(summary);
    await setClaimStatus({ claimId, status: step });
  }

  // 1. Intake: the equipment, its customer and its supplier.
  const claim = await loadWarrantyClaim({ claimId });
  status.serialNumber = claim.serialNumber;
  upsertSearchAttributes([
    { key: CustomerId, value: claim.customerId },
    { key: BusinessKey, value: claimId },
    { key: SerialNumber, value: claim.serialNumber },
    ...(claim.supplierId ? [{ key: SupplierId, value: claim.supplierId }] : []),
  ]);
  await sendEmail({ key: `${workflowId}:received`, template: 'warrantyClaimReceived', to: claim.billingEmail, payload: { claimId } });

  const result = await lifecycle();
  await condition(allHandlersFinished);
  return result;

  async function lifecycle(): Promise<WarrantyClaimStatus> {
    // 2. Inspection first when the fault must be seen: the claim waits for the technician's diagnosis.
    if (claim.needsInspection) {
      const job = await startClaimIntervention({ claimId, purpose: 'inspection' });
      status.inspectionInterventionId = job.interventionId;
      const child = await startChild(interventionDispatch, {
        workflowId: interventionWorkflowId(job.interventionId),
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [{ interventionId: job.interventionId, policy: policy.dispatch }],
      });
      let inspectionEnded = false;
      const ended = () => void (inspectionEnded = true);
      void child.result().then(ended, ended);
      await enter('awaiting_inspection');
      await condition(() => diagnosis !== undefined || inspectionEnded);
      if (!diagnosis) return close('inspection_cancelled');
      await recordDiagnosis({ claimId, diagnosis });
    }

    // Coverage from the dates, the contract and the exclusions, line by line.
    await enter('assessing');
    show(await assessCoverage({ claimId }));

    // 3. Decision: an operator may grant goodwill before anything is charged; goodwill or a large cost needs approval.
    let override: DecisionOverride = 'none';
    let reason = 'selon les règles de garantie';
    if (status.decision !== 'covered') {
      await enter('awaiting_decision');
      await sendEmail({ key: `${workflowId}:decision`, template: 'warrantyDecisionNeeded', to: policy.managerEmail, payload: { claimId } });
      await condition(() => decision !== undefined, policy.decisionWaitMs);
      if (decision?.decision === 'goodwill') [override, reason] = ['goodwill', decision.reason];
    }
    const borne = costBorne(status.lines, override);
    if (override === 'goodwill' || borne > policy.approvalThresholdCents) {
      await enter('awaiting_approval');
      const approval = await gate.request(
        workflowId,
        decisionApproval(claim, status, policy, { override, reason, borneCents: borne }),
        () => false,
      );
      if (approval!.decision === 'rejected') {
        [override, reason] =
          override === 'goodwill' ? ['none', reason] : ['not_covered', approval!.comment || 'refusée par le responsable SAV'];
      }
    }
    show(await recordClaimDecision({ claimId, override, reason }));

    if (claim.priorInterventionId) {
      // 5. The work was done and invoiced before the claim: what turns out covered is credited.
      if (status.amounts.costCents > 0) {
        const note = await creditCoveredWork({ claimId, sourceKey: `${workflowId}:credit` });
        status.creditNote = { id: note.id, number: note.number };
        status.amounts.creditedCents = note.creditedCents;
        await sendEmail({
          key: `${workflowId}:credit-note`,
          template: 'creditNote',
          to: claim.billingEmail,
          payload: { creditNoteId: note.id },
        });
      }
      status.outcome = status.amounts.costCents > 0 ? 'credited' : 'not_covered';
    } else {
      // What is not covered needs the customer's yes to a quote (link page with accept / refuse).
      if (status.amounts.customerCents > 0) {
        status.quoteNumber = (await prepareQuote({ claimId })).quoteNumber;
        await enter('awaiting_customer');
        const quote = await gate.request(workflowId, quoteApproval(claim, status, policy), () => false);
        if (quote!.decision === 'rejected') return close(quote!.timedOut ? 'quote_expired' : 'quote_refused');
      }

      // 4. Repair or replace through an intervention; the installed base follows at its close.
      const job = await startClaimIntervention({ claimId, purpose: 'repair' });
      status.repairInterventionId = job.interventionId;
      await enter('repairing');
      const repair = await executeChild(interventionDispatch, {
        workflowId: interventionWorkflowId(job.interventionId),
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [{ interventionId: job.interventionId, policy: policy.dispatch }],
      });
      if (repair.step === 'cancelled') return close('repair_cancelled');

      // 5. Money: covered lines cost the customer nothing (cost recorded); the rest is invoiced.
      await enter('settling');
      const settled = await settleClaim({ claimId });
      show(settled);
      status.outcome = settled.outcome;
      if (status.amounts.customerCents > 0) await invoice('repair');
      await extendRepairWarranty({ claimId, months: policy.repairExtensionMonths });
    }
    await tellCustomer();

    // 6. Supplier re-billing: the claim document goes to the supplier, reminded until it answers.
    const supplierClaim = await openSupplierClaim({ claimId });
    if (supplierClaim) {
      status.supplierClaim = { number: supplierClaim.number, status: 'sent', remindersSent: 0 };
      status.amounts.claimedFromSupplierCents = supplierClaim.amountClaimedCents;
      await enter('awaiting_supplier');
      await sendEmail({ key: `${workflowId}:supplier-claim`, template: 'supplierClaim', to: supplierClaim.to, payload: { claimId } });
      while (!(await condition(() => answer !== undefined, policy.supplier.reminderEveryMs))) {
        if (status.supplierClaim.remindersSent >= policy.supplier.reminders) {
          await condition(() => answer !== undefined);
          break;
        }
        status.supplierClaim.remindersSent = await remindSupplier({ claimId, reminder: status.supplierClaim.remindersSent + 1 });
      }
      const outcome = await recordSupplierAnswer({ claimId, answer: answer! });
      status.supplierClaim.status = answer!.outcome;
      status.amounts.recoveredCents = outcome.recoveredCents;
      // Compensation: what the supplier refused is absorbed, or re-invoiced when the customer's terms say so.
      if (outcome.rejectedCents > 0 && claim.supplierRejection === 'reinvoice') await invoice('supplier_rejection');
    }
    return close(status.outcome!);
  }

  /** Shows the lines and amounts an activity computed. */
  function show(
    assessed: Pick<WarrantyClaimStatus, 'stage' | 'lines' | 'decision'> & { totals: { customerCents: number; costCents: number } },
  ) {
    status.stage = assessed.stage;
    status.lines = assessed.lines;
    status.decision = assessed.decision;
    status.amounts = { ...status.amounts, customerCents: assessed.totals.customerCents, costCents: assessed.totals.costCents };
  }

  /** The customer learns the outcome once (coverage, what they pay, the warranty after the repair). */
  async function tellCustomer(): Promise<void> {
    if (outcomeSent) return;
    await sendEmail({
      key: `${workflowId}:outcome`,
      template: 'warrantyClaimOutcome',
      to: claim.billingEmail,
      payload: { claimId, outcome: status.outcome! },
    });
    outcomeSent = true;
  }

  async function invoice(purpose: 'repair' | 'supplier_rejection'): Promise<void> {
    const issued = await invoiceClaim({ claimId, purpose, sourceKey: `${workflowId}:${purpose}` });
    status.invoices.push({ id: issued.id, number: issued.number, purpose });
    if (purpose === 'supplier_rejection') status.amounts.customerCents += issued.totalHtCents;
    await sendAndCollectInvoice({
      invoice: issued,
      customer: claim,
      policy: policy.collection,
      emailKey: `${workflowId}:invoice-${purpose}`,
    });
  }

  async function close(outcome: string): Promise<WarrantyClaimStatus> {
    status.outcome = outcome;
    await closeWarrantyClaim({ claimId, outcome });
    await tellCustomer();
    await enter('closed');
    return status;
  }
}
