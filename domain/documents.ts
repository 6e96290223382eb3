import type { ComputedLine, VatBreakdownEntry } from './invoice';

/** Who is named on a billing document (French mandatory mentions). */
export interface PartyIdentity {
  name: string;
  addressLines: string[];
  siren?: string | null;
  siret?: string | null;
  vatNumber?: string | null;
  email?: string | null;
}

/** Everything an invoice, credit note, quote or supplier warranty claim shows, snapshotted when issued; the PDF is rendered from this alone. */
export interface BillingDocument {
  kind: 'invoice' | 'credit_note' | 'quote' | 'supplier_claim';
  number: string;
  /** ISO date-time of issue. */
  issuedAt: string;
  /** ISO date; invoices only. */
  dueDate?: string;
  /** ISO date; quotes only: the last day the quote may be accepted. */
  validUntil?: string;
  seller: PartyIdentity & { iban?: string };
  buyer: PartyIdentity;
  /** Business customers get the late-payment penalty and the 40 EUR recovery indemnity mentions. */
  buyerIsBusiness: boolean;
  lines: ComputedLine[];
  vatBreakdown: VatBreakdownEntry[];
  totalHtCents: number;
  totalVatCents: number;
  totalTtcCents: number;
  references: { orderId?: string; customerRef?: string | null; invoiceNumber?: string };
  /** Credit notes: why the invoice is cancelled or reduced. */
  reason?: string;
  /** Label/value rows printed under the parties (the equipment and fault of a warranty document). */
  details?: [string, string][];
  paymentTermsDays?: number;
}
