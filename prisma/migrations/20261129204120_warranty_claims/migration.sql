-- CreateEnum
CREATE TYPE "EquipmentStatus" AS ENUM ('in_service', 'retired');

-- CreateEnum
CREATE TYPE "SupplierRejectionPolicy" AS ENUM ('absorb', 'reinvoice');

-- CreateEnum
CREATE TYPE "ClaimStatus" AS ENUM ('intake', 'awaiting_inspection', 'assessing', 'awaiting_decision', 'awaiting_approval', 'awaiting_customer', 'repairing', 'settling', 'awaiting_supplier', 'closed');

-- CreateEnum
CREATE TYPE "SupplierClaimStatus" AS ENUM ('sent', 'accepted', 'partially_accepted', 'rejected');

-- AlterTable
ALTER TABLE "Contract" ADD COLUMN     "supplierRejection" "SupplierRejectionPolicy";

-- AlterTable
ALTER TABLE "CreditNote" ADD COLUMN     "lines" JSONB;

-- AlterTable
ALTER TABLE "Intervention" ADD COLUMN     "replacements" JSONB;

-- AlterTable
ALTER TABLE "Product" ADD COLUMN     "purchaseCostCents" INTEGER,
ADD COLUMN     "warrantyMonths" INTEGER,
ADD COLUMN     "wearPart" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "Supplier" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "claimsEmail" TEXT NOT NULL,
    "vatNumber" TEXT,
    "addressLine" TEXT,
    "postalCode" TEXT,
    "city" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Supplier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Equipment" (
    "id" TEXT NOT NULL,
    "serialNumber" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "productId" TEXT,
    "customerId" TEXT NOT NULL,
    "siteId" TEXT NOT NULL,
    "supplierId" TEXT,
    "installedOn" DATE NOT NULL,
    "manufacturerWarrantyEnd" DATE,
    "supplierWarrantyEnd" DATE,
    "extendedWarrantyEnd" DATE,
    "configurationAsSold" JSONB NOT NULL,
    "configurationAsMaintained" JSONB NOT NULL,
    "status" "EquipmentStatus" NOT NULL DEFAULT 'in_service',
    "retiredOn" DATE,
    "replacedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Equipment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EquipmentEvent" (
    "id" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "equipmentId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "detail" JSONB NOT NULL,
    "interventionId" TEXT,
    "claimId" TEXT,

    CONSTRAINT "EquipmentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WarrantyClaim" (
    "id" TEXT NOT NULL,
    "idempotencyKey" TEXT,
    "equipmentId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "reportedFault" TEXT NOT NULL,
    "faultOn" DATE NOT NULL,
    "cause" TEXT NOT NULL DEFAULT 'normal_use',
    "findings" TEXT,
    "requiredSkills" TEXT[],
    "needsInspection" BOOLEAN NOT NULL DEFAULT false,
    "estimate" JSONB,
    "status" "ClaimStatus" NOT NULL DEFAULT 'intake',
    "decision" TEXT,
    "decisionOverride" TEXT NOT NULL DEFAULT 'none',
    "decisionReason" TEXT,
    "priorInterventionId" TEXT,
    "inspectionInterventionId" TEXT,
    "repairInterventionId" TEXT,
    "quoteNumber" TEXT,
    "quotePdf" BYTEA,
    "invoiceId" TEXT,
    "creditNoteId" TEXT,
    "reinvoiceId" TEXT,
    "supplierRejection" "SupplierRejectionPolicy",
    "customerCents" INTEGER NOT NULL DEFAULT 0,
    "costCents" INTEGER NOT NULL DEFAULT 0,
    "outcome" TEXT,
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WarrantyClaim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WarrantyClaimLine" (
    "id" TEXT NOT NULL,
    "claimId" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "productId" TEXT,
    "sku" TEXT,
    "quantity" INTEGER NOT NULL,
    "unitPriceCents" INTEGER NOT NULL,
    "unitCostCents" INTEGER NOT NULL,
    "vatRateBp" INTEGER NOT NULL,
    "coverage" TEXT NOT NULL,
    "basis" TEXT,
    "reason" TEXT NOT NULL,
    "supplierRecoverable" BOOLEAN NOT NULL DEFAULT false,
    "removedSerial" TEXT,
    "installedSerial" TEXT,

    CONSTRAINT "WarrantyClaimLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SupplierClaim" (
    "id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "claimId" TEXT NOT NULL,
    "supplierId" TEXT NOT NULL,
    "amountClaimedCents" INTEGER NOT NULL,
    "amountAcceptedCents" INTEGER,
    "status" "SupplierClaimStatus" NOT NULL DEFAULT 'sent',
    "sentAt" TIMESTAMP(3) NOT NULL,
    "remindersSent" INTEGER NOT NULL DEFAULT 0,
    "answeredAt" TIMESTAMP(3),
    "supplierReference" TEXT,
    "answerReason" TEXT,
    "pdf" BYTEA,

    CONSTRAINT "SupplierClaim_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Equipment_serialNumber_key" ON "Equipment"("serialNumber");

-- CreateIndex
CREATE UNIQUE INDEX "Equipment_replacedById_key" ON "Equipment"("replacedById");

-- CreateIndex
CREATE INDEX "Equipment_customerId_idx" ON "Equipment"("customerId");

-- CreateIndex
CREATE INDEX "Equipment_siteId_idx" ON "Equipment"("siteId");

-- CreateIndex
CREATE UNIQUE INDEX "EquipmentEvent_idempotencyKey_key" ON "EquipmentEvent"("idempotencyKey");

-- CreateIndex
CREATE INDEX "EquipmentEvent_equipmentId_occurredAt_idx" ON "EquipmentEvent"("equipmentId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "WarrantyClaim_idempotencyKey_key" ON "WarrantyClaim"("idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "WarrantyClaim_priorInterventionId_key" ON "WarrantyClaim"("priorInterventionId");

-- CreateIndex
CREATE UNIQUE INDEX "WarrantyClaim_inspectionInterventionId_key" ON "WarrantyClaim"("inspectionInterventionId");

-- CreateIndex
CREATE UNIQUE INDEX "WarrantyClaim_repairInterventionId_key" ON "WarrantyClaim"("repairInterventionId");

-- CreateIndex
CREATE UNIQUE INDEX "WarrantyClaim_quoteNumber_key" ON "WarrantyClaim"("quoteNumber");

-- CreateIndex
CREATE INDEX "WarrantyClaim_customerId_idx" ON "WarrantyClaim"("customerId");

-- CreateIndex
CREATE INDEX "WarrantyClaim_status_idx" ON "WarrantyClaim"("status");

-- CreateIndex
CREATE INDEX "WarrantyClaim_equipmentId_idx" ON "WarrantyClaim"("equipmentId");

-- CreateIndex
CREATE UNIQUE INDEX "WarrantyClaimLine_claimId_stage_position_key" ON "WarrantyClaimLine"("claimId", "stage", "position");

-- CreateIndex
CREATE UNIQUE INDEX "SupplierClaim_number_key" ON "SupplierClaim"("number");

-- CreateIndex
CREATE UNIQUE INDEX "SupplierClaim_claimId_key" ON "SupplierClaim"("claimId");

-- CreateIndex
CREATE INDEX "SupplierClaim_status_idx" ON "SupplierClaim"("status");

-- CreateIndex
CREATE INDEX "Intervention_equipmentId_idx" ON "Intervention"("equipmentId");

-- Equipment ids given before the installed base existed point nowhere: the link is dropped.
UPDATE "Intervention" SET "equipmentId" = NULL WHERE "equipmentId" IS NOT NULL;

-- AddForeignKey
ALTER TABLE "Intervention" ADD CONSTRAINT "Intervention_equipmentId_fkey" FOREIGN KEY ("equipmentId") REFERENCES "Equipment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Equipment" ADD CONSTRAINT "Equipment_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Equipment" ADD CONSTRAINT "Equipment_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Equipment" ADD CONSTRAINT "Equipment_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Equipment" ADD CONSTRAINT "Equipment_supplierId_fkey" FOREIGN KEY ("supplierId") REFERENCES "Supplier"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Equipment" ADD CONSTRAINT "Equipment_replacedById_fkey" FOREIGN KEY ("replacedById") REFERENCES "Equipment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EquipmentEvent" ADD CONSTRAINT "EquipmentEvent_equipmentId_fkey" FOREIGN KEY ("equipmentId") REFERENCES "Equipment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WarrantyClaim" ADD CONSTRAINT "WarrantyClaim_equipmentId_fkey" FOREIGN KEY ("equipmentId") REFERENCES "Equipment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WarrantyClaim" ADD CONSTRAINT "WarrantyClaim_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WarrantyClaimLine" ADD CONSTRAINT "WarrantyClaimLine_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "WarrantyClaim"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SupplierClaim" ADD CONSTRAINT "SupplierClaim_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "WarrantyClaim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SupplierClaim" ADD CONSTRAINT "SupplierClaim_supplierId_fkey" FOREIGN KEY ("supplierId") REFERENCES "Supplier"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
