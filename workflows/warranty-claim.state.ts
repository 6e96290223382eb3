import { formatEuros } from '../domain/money';
import type { DecisionOverride } from '../domain/warranty';
import type { ApprovalRequest } from './shared/approval';
import type { ClaimLineView, WarrantyClaimStatus, WarrantyPolicy } from './warranty-claim.definitions';

/** What the approval and the quote show of the claim's equipment and customer. */
export interface ClaimParties {
  serialNumber: string;
  model: string;
  reportedFault: string;
  customerName: string;
  billingEmail: string;
}

/** What we would bear, at cost: the covered lines, and with goodwill every line. */
export const costBorne = (lines: ClaimLineView[], override: DecisionOverride): number =>
  lines.filter((l) => override === 'goodwill' || l.coverage === 'covered').reduce((sum, l) => sum + l.quantity * l.unitCostCents, 0);

/** The warranty manager's approval of goodwill, or of a cost borne above the threshold (silence refuses). */
export function decisionApproval(
  claim: ClaimParties,
  status: WarrantyClaimStatus,
  policy: WarrantyPolicy,
  decision: { override: DecisionOverride; reason: string; borneCents: number },
): ApprovalRequest {
  return {
    step: 'warranty_decision',
    approverEmail: policy.managerEmail,
    summary: {
      title: `Warranty claim on ${claim.serialNumber} (${claim.customerName})`,
      rows: [
        ['Équipement', `${claim.model} n° ${claim.serialNumber}`],
        ['Panne', claim.reportedFault],
        [
          'Décision proposée',
          decision.override === 'goodwill' ? `geste commercial : ${decision.reason}` : (status.decision ?? '').replace(/_/g, ' '),
        ],
        ['Coût pris en charge HT', formatEuros(decision.borneCents)],
      ],
    },
    ...policy.approval,
    onTimeout: 'rejected',
  };
}

/** The quote of what is not covered, for the customer to accept or refuse by link (silence refuses). */
export function quoteApproval(claim: ClaimParties, status: WarrantyClaimStatus, policy: WarrantyPolicy): ApprovalRequest {
  return {
    step: 'warranty_quote',
    approverEmail: claim.billingEmail,
    summary: {
      title: `Devis ${status.quoteNumber} : réparation de votre ${claim.model} n° ${claim.serialNumber}`,
      rows: [
        ...status.lines.map((l): [string, string] => [
          l.description,
          l.coverage === 'not_covered' ? `${formatEuros(l.quantity * l.unitPriceCents)} HT` : 'pris en charge',
        ]),
        ['Total à votre charge HT', formatEuros(status.amounts.customerCents)],
      ],
      actions: { approve: 'Accepter le devis', reject: 'Refuser le devis' },
    },
    emails: { request: 'warrantyQuote', reminder: 'warrantyQuoteReminder' },
    ...policy.quote,
    onTimeout: 'rejected',
  };
}
