import {
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities';
import {
  addDays,
  billingDate,
  billingPeriods,
  contractClock,
  dateMs,
  frenchDate,
  minDate,
  renewalCalendar,
  type IsoDate,
} from '../domain/contracts';
import { shortActivity } from './shared/activity-options';
import { ApprovalGate } from './shared/approval';
import { BusinessKey, CustomerId, ProcessStatus, TermEnd, WaitingFor } from './shared/search-attributes';
import { interventionDispatch } from './intervention-dispatch';
import { interventionWorkflowId } from './intervention-dispatch.definitions';
import {
  amendContractUpdate,
  contractStatusQuery,
  terminateContractUpdate,
  type Amendment,
  type CarriedState,
  type ContractProcessStatus,
  type RenewalOutcome,
  type RenewalStatus,
  type ServiceContractInput,
  type Termination,
  type VisitView,
} from './service-contract.definitions';

const {
  loadContract,
  planContractVisits,
  startContractVisit,
  checkContractVisit,
  recordAmendment,
  prepareRenewal,
  setRenewalStatus,
  recordLegalNotice,
  recordRenewalOutcome,
  recordTermination,
  closeContract,
  sendEmail,
} = proxyActivities<Activities>(shortActivity);

const RENEWED: RenewalOutcome[] = ['renewed', 'tacitly_renewed'];

/**
 * A service contract, one durable process across all its terms: preventive visits started when
 * due and flagged when missed, amendments and notice of termination (updates), the renewal
 * (account manager, then the customer, or tacit renewal) and a new run for each term.
 * Invoices come from the monthly billing runs, which read the contract's record.
 */
export async function serviceContract({ contractId, policy, carried: previous }: ServiceContractInput): Promise<ContractProcessStatus> {
  const { workflowId } = workflowInfo();
  const carried: CarriedState = previous ?? {
    clockAnchorMs: Date.now(),
    run: 1,
    visitsDone: 0,
    visitsOverdue: 0,
    amendments: 0,
    renewals: [],
  };
  const clock = contractClock(carried.clockAnchorMs, policy.dayMs);
  const today = () => clock.dateAt(Date.now());
  const msUntil = (date: IsoDate) => Math.max(1, clock.instantOf(date) - Date.now());
  const gate = new ApprovalGate();

  let c: Awaited<ReturnType<typeof loadContract>> | undefined;
  let visits: VisitView[] = [];
  let renewal: RenewalStatus | undefined = carried.renewal;
  let amendment: Amendment | undefined;
  let termination: Termination | undefined;
  let versions = 0; // of the contract's price, for idempotent amendments
  let applied = 0; // updates applied, so each answers once the process acted on it
  let requested = 0;
  let step: ContractProcessStatus['step'] = 'active';

  /** The day the contract stops in this term (its end, or earlier after notice). */
  const stopDate = () => (c!.endDate ? minDate(c!.endDate, c!.termEnd) : c!.termEnd);
  /** The next billing date of the term (billing runs invoice it), if any is left. */
  const nextInvoiceDate = (): IsoDate | undefined => {
    const term = { number: c!.termNumber, start: c!.termStart, end: c!.termEnd };
    const dates = billingPeriods(term, c!.billingRhythm, c!.endDate).map((p) => billingDate(p, c!.billingTiming));
    return dates.find((d) => d >= today());
  };
  const count = (s: VisitView['status']) => visits.filter((v) => v.status === s).length;
  const status = (): ContractProcessStatus => {
    const next = visits.find((v) => v.status === 'planned');
    return {
      contractId,
      step,
      today: today(),
      term: { number: c?.termNumber ?? 0, start: c?.termStart ?? '', end: c?.termEnd ?? '' },
      endDate: c?.endDate,
      nextInvoiceDate: c && nextInvoiceDate(),
      nextVisit: next && { dueDate: next.dueDate, windowEnd: next.windowEnd },
      visits: {
        planned: visits.length,
        done: count('done'),
        overdue: count('overdue'),
        doneAllTerms: carried.visitsDone + count('done'),
        overdueAllTerms: carried.visitsOverdue + count('overdue'),
      },
      renewal: renewal ?? { step: 'not_started', renewalStart: '', refusalDeadline: '' },
      waitingFor:
        step === 'terminated'
          ? 'nothing'
          : renewal?.step === 'awaiting_account_manager'
            ? 'account_manager'
            : renewal?.step === 'awaiting_customer'
              ? 'customer'
              : 'next_date',
      run: carried.run,
      history: carried.renewals,
    };
  };
  const afterActing = async () => {
    const mine = ++requested;
    await condition(() => applied >= mine);
    return status();
  };
  const expectActive = (what: string) => {
    if (!c) throw new Error('The contract process is starting; try again in a moment');
    if (step !== 'active') throw new Error(`Cannot ${what}: the contract is ${step}`);
    if (amendment || termination) throw new Error('Another change to this contract is being applied; try again in a moment');
  };

  setHandler(contractStatusQuery, status);
  setHandler(
    amendContractUpdate,
    (input) => {
      amendment = input;
      return afterActing();
    },
    {
      validator: (input) => {
        expectActive('amend');
        if (input.effectiveFrom < c!.termStart || input.effectiveFrom >= stopDate()) {
          throw new Error(`The amendment must take effect within the current term (${c!.termStart} to ${addDays(stopDate(), -1)})`);
        }
        if (input.priceCents === undefined && !input.siteIds && !input.equipment && !input.plan) {
          throw new Error('The amendment changes nothing: give a price, sites, equipment or a plan');
        }
      },
    },
  );
  setHandler(
    terminateContractUpdate,
    (input) => {
      termination = input;
      return afterActing();
    },
    { validator: (_input) => expectActive('give notice') },
  );

  /** Shows where the contract is in the Temporal UI. */
  function show(): void {
    const s = status();
    const summary = `Contract ${c!.title} (${c!.customerName}): ${step}, term ${s.term.number} to ${s.term.end}, renewal ${s.renewal.step.replace(/_/g, ' ')}`;
    upsertSearchAttributes([
      { key: ProcessStatus, value: step },
      { key: WaitingFor, value: s.waitingFor },
      { key: TermEnd, value: new Date(dateMs(c!.termEnd)) },
    ]);
    upsertMemo({ summary });
    setCurrentDetails(summary);
  }

  c = await loadContract({ contractId });
  versions = c.versions;
  upsertSearchAttributes([
    { key: CustomerId, value: c.customerId },
    { key: BusinessKey, value: contractId },
  ]);
  if (c.status === 'terminated') {
    step = 'terminated';
    show();
    return status();
  }
  step = c.status;
  const calendar = renewalCalendar(c.termEnd, c.noticeDays, policy.renewalLeadDays);
  renewal ??= { step: 'not_started', ...calendar };
  visits = await planContractVisits({ contractId, termNumber: c.termNumber });
  show();

  const renewalTask = runRenewal();

  // The term: visits when due and checked at the end of their window, changes as they come.
  for (;;) {
    const now = today();
    for (const visit of visits.filter((v) => v.status === 'planned' && v.dueDate <= now)) await startVisit(visit);
    for (const visit of visits.filter((v) => v.status === 'started' && v.windowEnd <= now)) {
      visit.status = await checkContractVisit({ visitId: visit.id });
      show();
    }
    if (now >= stopDate()) break;
    if (amendment) {
      await applyAmendment(amendment);
      continue;
    }
    if (termination) {
      await applyTermination(termination);
      continue;
    }
    const renewalBusy = renewal.step === 'awaiting_account_manager' || renewal.step === 'awaiting_customer';
    if (!renewalBusy && historyIsLong()) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof serviceContract>({ contractId, policy, carried: nextRun(renewal) });
    }
    const upcoming = [
      stopDate(),
      ...visits.filter((v) => v.status === 'planned').map((v) => v.dueDate),
      ...visits.filter((v) => v.status === 'started').map((v) => v.windowEnd),
    ];
    await condition(() => amendment !== undefined || termination !== undefined, msUntil(minDate(...upcoming)));
  }

  // The term is over: a new term (continue as new), or the end of the contract.
  await renewalTask;
  if (renewal.outcome && RENEWED.includes(renewal.outcome) && !c.endDate) {
    const priceCents = renewal.proposedPriceCents ?? c.priceCents;
    await recordRenewalOutcome({ contractId, termNumber: c.termNumber, outcome: renewal.outcome, priceCents });
    await condition(allHandlersFinished);
    return continueAsNew<typeof serviceContract>({
      contractId,
      policy,
      carried: {
        ...nextRun(undefined),
        renewals: [...carried.renewals, { term: c.termNumber, outcome: renewal.outcome, priceCents }],
      },
    });
  }
  await closeContract({ contractId, termNumber: c.termNumber });
  step = 'terminated';
  for (const to of [c.customerEmail, c.accountManagerEmail]) {
    await sendEmail({ key: `${workflowId}:ended:${to}`, template: 'contractEnded', to, payload: { contractId } });
  }
  show();
  await condition(allHandlersFinished);
  return status();

  function historyIsLong(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > policy.maxHistoryEvents;
  }

  function nextRun(carriedRenewal: RenewalStatus | undefined): CarriedState {
    return {
      clockAnchorMs: carried.clockAnchorMs,
      run: carried.run + 1,
      // Visits of a term still under way are counted again from the database by the next run.
      visitsDone: carriedRenewal ? carried.visitsDone : carried.visitsDone + count('done'),
      visitsOverdue: carriedRenewal ? carried.visitsOverdue : carried.visitsOverdue + count('overdue'),
      amendments: carried.amendments,
      renewals: carried.renewals,
      renewal: carriedRenewal,
    };
  }

  async function startVisit(visit: VisitView): Promise<void> {
    const job = await startContractVisit({ visitId: visit.id, deadline: new Date(clock.instantOf(visit.windowEnd)).toISOString() });
    visit.status = 'started';
    visit.interventionId = job.interventionId;
    try {
      await startChild(interventionDispatch, {
        workflowId: interventionWorkflowId(job.interventionId),
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [{ interventionId: job.interventionId, policy: job.policy }],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    show();
  }

  async function applyAmendment(input: Amendment): Promise<void> {
    carried.amendments += 1;
    versions += 1;
    await recordAmendment({ contractId, version: versions, amendment: input });
    c = { ...c!, priceCents: input.priceCents ?? c!.priceCents };
    if (input.plan) visits = await planContractVisits({ contractId, termNumber: c.termNumber });
    await sendEmail({
      key: `${workflowId}:amendment-v${versions}`,
      template: 'contractAmended',
      to: c.customerEmail,
      payload: { contractId, effectiveFrom: input.effectiveFrom, reason: input.reason },
    });
    amendment = undefined;
    applied += 1;
    show();
  }

  /** Notice from either side: the contract ends after the notice period (at the latest with the term). */
  async function applyTermination(input: Termination): Promise<void> {
    const earliest = addDays(today(), c!.noticeDays);
    const endDate = minDate(input.effectiveDate && input.effectiveDate > earliest ? input.effectiveDate : earliest, c!.termEnd);
    const reason = `Résiliation par ${input.by === 'customer' ? 'le client' : 'le prestataire'} : ${input.reason}`;
    await recordTermination({ contractId, endDate, reason });
    c = { ...c!, endDate, status: 'ending' };
    step = 'ending';
    visits = await planContractVisits({ contractId, termNumber: c.termNumber });
    for (const to of [c.customerEmail, c.accountManagerEmail]) {
      await sendEmail({ key: `${workflowId}:notice:${to}`, template: 'contractNotice', to, payload: { contractId, endDate, reason } });
    }
    termination = undefined;
    applied += 1;
    show();
  }

  /**
   * The renewal, beside the term: from the renewal date, the proposal (price by the contract's
   * rule) goes to the account manager, then to the customer, who accepts or refuses by the
   * deadline; silence renews tacitly when the contract allows it. For a consumer the proposal is
   * the legal reminder (loi Chatel, Code de la consommation L215-1).
   */
  async function runRenewal(): Promise<void> {
    const r = renewal!;
    if (r.step === 'decided' || step !== 'active') return;
    const stopped = () => step !== 'active';
    if (await condition(stopped, msUntil(r.renewalStart))) return;
    const contract = c!;
    const proposal = await prepareRenewal({ contractId, today: today() });
    r.proposedPriceCents = proposal.proposedPriceCents;
    r.step = 'awaiting_account_manager';
    show();
    const days = (n: number) => n * policy.dayMs;
    const rows: [string, string][] = [
      ['Client', contract.customerName],
      ['Échéance', frenchDate(contract.termEnd)],
      ['Prix annuel HT actuel', proposal.currentPrice],
      ['Prix annuel HT proposé', proposal.proposedPrice],
      ['Règle', proposal.rule],
      ['Date limite de refus', frenchDate(r.refusalDeadline)],
    ];
    const manager = await gate.request(
      workflowId,
      {
        step: 'renewal_account_manager',
        approverEmail: contract.accountManagerEmail,
        summary: { title: `Renewal proposal for ${contract.title} (${contract.customerName})`, rows },
        reminderAfterMs: days(policy.renewalApprovalDays) / 2,
        timeoutMs: Math.min(days(policy.renewalApprovalDays), msUntil(r.refusalDeadline)),
        // The contract's own rule stands when nobody objects.
        onTimeout: 'approved',
      },
      stopped,
    );
    if (!manager) return;
    if (manager.decision === 'rejected') return decide('not_renewed', 'contractNotRenewed');

    r.step = 'awaiting_customer';
    show();
    const legalNotice = contract.consumer && contract.tacitRenewal;
    if (legalNotice) {
      r.legalNoticeSentOn = today();
      await recordLegalNotice({ contractId, termNumber: contract.termNumber });
    }
    await setRenewalStatus({ contractId, renewalStatus: 'awaiting_customer' });
    // The customer may refuse until the end of the deadline day; if the process runs late, never less than a week.
    const answerBy = Math.max(msUntil(addDays(r.refusalDeadline, 1)), days(7));
    const customer = await gate.request(
      workflowId,
      {
        step: 'renewal_customer',
        approverEmail: contract.customerEmail,
        summary: {
          title: `Renouvellement de votre contrat ${contract.title}`,
          rows: [
            ...rows.filter(([k]) => k !== 'Règle' && k !== 'Prix annuel HT actuel'),
            ['Reconduction tacite', contract.tacitRenewal ? 'oui' : 'non'],
          ],
          actions: { approve: 'Accepter le renouvellement', reject: 'Refuser le renouvellement' },
        },
        emails: { request: 'renewalProposal', reminder: 'renewalProposalReminder' },
        reminderAfterMs: answerBy / 2,
        timeoutMs: answerBy,
        onTimeout: contract.tacitRenewal ? 'approved' : 'rejected',
      },
      stopped,
    );
    if (!customer) return;
    if (customer.timedOut) return decide(contract.tacitRenewal ? 'tacitly_renewed' : 'not_renewed', 'contractRenewalOutcome');
    return decide(customer.decision === 'approved' ? 'renewed' : 'refused', 'contractRenewalOutcome');
  }

  /** Records the renewal's outcome and tells the customer; a contract not renewed ends with its term. */
  async function decide(outcome: RenewalOutcome, template: 'contractNotRenewed' | 'contractRenewalOutcome'): Promise<void> {
    const r = renewal!;
    r.outcome = outcome;
    r.step = 'decided';
    if (RENEWED.includes(outcome)) {
      await setRenewalStatus({ contractId, renewalStatus: outcome });
    } else {
      await recordRenewalOutcome({ contractId, termNumber: c!.termNumber, outcome, priceCents: c!.priceCents });
      c = { ...c!, endDate: c!.termEnd, status: 'ending' };
      step = 'ending';
    }
    await sendEmail({
      key: `${workflowId}:renewal-${c!.termNumber}`,
      template,
      to: c!.customerEmail,
      payload: { contractId, outcome, priceCents: r.proposedPriceCents ?? c!.priceCents },
    });
    show();
  }
}
