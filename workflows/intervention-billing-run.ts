import { patched, proxyActivities, setHandler, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { shortActivity } from './shared/activity-options';
import { BusinessKey, ProcessStatus, WaitingFor } from './shared/search-attributes';
import type { CollectionPolicy } from './shared/collection';
import { sendAndCollectInvoice } from './invoice-collection';
import { interventionBillingProgressQuery, type InterventionBillingProgress } from './intervention-billing-run.definitions';

const { listMonthlyBillables, issueInterventionInvoice } = proxyActivities<Activities>(shortActivity);

/**
 * Monthly billing of field jobs: for every customer billed monthly, the month's closed, charged
 * jobs go on one invoice (once per customer and period), emailed, each with its own collection.
 */
export async function interventionBillingRun({
  period,
  collection,
}: {
  period: string;
  collection: CollectionPolicy;
}): Promise<InterventionBillingProgress> {
  const progress: InterventionBillingProgress = { period, customers: 0, invoiced: [] };
  setHandler(interventionBillingProgressQuery, () => progress);
  // Runs started before the run showed itself in the Temporal UI replay without it.
  const visible = patched('billing-run-visibility');
  const show = (step: 'invoicing' | 'done') => {
    if (!visible) return;
    upsertSearchAttributes([
      { key: BusinessKey, value: period },
      { key: ProcessStatus, value: step },
      { key: WaitingFor, value: 'nothing' },
    ]);
    upsertMemo({
      summary: `Field jobs billing ${period}: ${step}, ${progress.invoiced.length} of ${progress.customers} customers invoiced`,
    });
  };
  const billables = await listMonthlyBillables({ period });
  progress.customers = billables.length;
  show('invoicing');
  for (const customer of billables) {
    const invoice = await issueInterventionInvoice({
      interventionIds: customer.interventionIds,
      sourceKey: `${workflowInfo().workflowId}:${customer.customerId}:${customer.batchKey}`,
      sourceKind: 'intervention_monthly',
    });
    await sendAndCollectInvoice({
      invoice,
      customer,
      policy: collection,
      emailKey: `${workflowInfo().workflowId}:${customer.customerId}:email`,
    });
    progress.invoiced.push({
      customerId: customer.customerId,
      invoiceId: invoice.id,
      number: invoice.number,
      interventions: customer.interventionIds.length,
    });
  }
  show('done');
  return progress;
}
