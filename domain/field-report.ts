/**
 * Everything the field intervention report (rapport d'intervention) shows, snapshotted when the job closes;
 * the PDF the customer receives by email is rendered from this alone.
 */
export interface FieldReportDocument {
  /** Printed as the report reference. */
  interventionId: string;
  type: 'breakdown' | 'installation' | 'preventive_visit' | 'inspection';
  priority: 'critical' | 'high' | 'normal' | 'low';
  company: { name: string; addressLines: string[]; siret?: string | null };
  customer: { name: string };
  site: { name: string; addressLines: string[] };
  equipment?: { label: string; serialNumber?: string | null } | null;
  technician: { name: string };
  /** The reported problem or the request. */
  description: string;
  /** ISO instants. */
  appointment?: { start: string; end: string } | null;
  /** ISO instant. */
  checkedInAt?: string | null;
  /** ISO instant. */
  completedAt: string;
  /** Free text, may contain newlines. */
  workDone: string;
  labourMinutes: number;
  travelMinutes: number;
  parts: { sku: string; description: string; quantity: number }[];
  /** ISO instant. */
  slaDeadline?: string | null;
  slaBreached: boolean;
  /** The customer's sign-off name. */
  signedBy: string;
  /** ISO instant. */
  signedAt: string;
  /** "Couvert par contrat/garantie", "Facturé", "Facturation mensuelle". */
  billing: 'covered' | 'charged' | 'monthly';
  coverage?: { kind: 'contract' | 'warranty'; reference: string } | null;
}
