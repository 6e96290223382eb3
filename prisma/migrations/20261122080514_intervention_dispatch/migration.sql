-- CreateEnum
CREATE TYPE "InterventionBilling" AS ENUM ('per_intervention', 'monthly');

-- CreateEnum
CREATE TYPE "InterventionType" AS ENUM ('breakdown', 'installation', 'preventive_visit', 'inspection');

-- CreateEnum
CREATE TYPE "InterventionPriority" AS ENUM ('critical', 'high', 'normal', 'low');

-- CreateEnum
CREATE TYPE "InterventionStatus" AS ENUM ('new', 'awaiting_assignment', 'assigned', 'accepted', 'in_progress', 'on_hold_parts', 'completed', 'closed', 'cancelled');

-- AlterEnum
ALTER TYPE "StockMovementKind" ADD VALUE 'consumption';

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "interventionBilling" "InterventionBilling" NOT NULL DEFAULT 'per_intervention';

-- AlterTable
ALTER TABLE "Invoice" ADD COLUMN     "sourceKind" TEXT NOT NULL DEFAULT 'order';

-- AlterTable
ALTER TABLE "StockMovement" ADD COLUMN     "interventionId" TEXT;

-- AlterTable
ALTER TABLE "Warehouse" ADD COLUMN     "isVan" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "Site" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "addressLine" TEXT NOT NULL,
    "postalCode" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "sector" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Site_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Technician" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "skills" TEXT[],
    "sector" TEXT NOT NULL,
    "agency" TEXT,
    "workingDays" INTEGER[] DEFAULT ARRAY[1, 2, 3, 4, 5]::INTEGER[],
    "workStart" TEXT NOT NULL DEFAULT '08:00',
    "workEnd" TEXT NOT NULL DEFAULT '17:00',
    "timeZone" TEXT NOT NULL DEFAULT 'Europe/Paris',
    "hourlyCostCents" INTEGER NOT NULL DEFAULT 4500,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "vanWarehouseId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Technician_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Intervention" (
    "id" TEXT NOT NULL,
    "idempotencyKey" TEXT,
    "customerId" TEXT NOT NULL,
    "siteId" TEXT NOT NULL,
    "equipmentId" TEXT,
    "type" "InterventionType" NOT NULL,
    "priority" "InterventionPriority" NOT NULL,
    "description" TEXT NOT NULL,
    "requiredSkills" TEXT[],
    "durationMinutes" INTEGER NOT NULL DEFAULT 60,
    "status" "InterventionStatus" NOT NULL DEFAULT 'new',
    "slaDeadline" TIMESTAMP(3),
    "slaBreached" BOOLEAN NOT NULL DEFAULT false,
    "technicianId" TEXT,
    "appointmentStart" TIMESTAMP(3),
    "appointmentEnd" TIMESTAMP(3),
    "checkedInAt" TIMESTAMP(3),
    "workDone" TEXT,
    "labourMinutes" INTEGER,
    "travelMinutes" INTEGER,
    "signedBy" TEXT,
    "signedAt" TIMESTAMP(3),
    "coverageKind" TEXT,
    "coverageRef" TEXT,
    "billing" TEXT,
    "costCents" INTEGER,
    "invoiceId" TEXT,
    "cancelReason" TEXT,
    "reportPdf" BYTEA,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Intervention_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InterventionPart" (
    "id" TEXT NOT NULL,
    "interventionId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,

    CONSTRAINT "InterventionPart_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Technician_email_key" ON "Technician"("email");

-- CreateIndex
CREATE UNIQUE INDEX "Technician_vanWarehouseId_key" ON "Technician"("vanWarehouseId");

-- CreateIndex
CREATE UNIQUE INDEX "Intervention_idempotencyKey_key" ON "Intervention"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Intervention_technicianId_appointmentStart_idx" ON "Intervention"("technicianId", "appointmentStart");

-- CreateIndex
CREATE INDEX "Intervention_status_idx" ON "Intervention"("status");

-- CreateIndex
CREATE INDEX "Intervention_customerId_billing_idx" ON "Intervention"("customerId", "billing");

-- CreateIndex
CREATE UNIQUE INDEX "InterventionPart_interventionId_productId_key" ON "InterventionPart"("interventionId", "productId");

-- AddForeignKey
ALTER TABLE "Site" ADD CONSTRAINT "Site_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Technician" ADD CONSTRAINT "Technician_vanWarehouseId_fkey" FOREIGN KEY ("vanWarehouseId") REFERENCES "Warehouse"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Intervention" ADD CONSTRAINT "Intervention_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Intervention" ADD CONSTRAINT "Intervention_technicianId_fkey" FOREIGN KEY ("technicianId") REFERENCES "Technician"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Intervention" ADD CONSTRAINT "Intervention_invoiceId_fkey" FOREIGN KEY ("invoiceId") REFERENCES "Invoice"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InterventionPart" ADD CONSTRAINT "InterventionPart_interventionId_fkey" FOREIGN KEY ("interventionId") REFERENCES "Intervention"("id") ON DELETE CASCADE ON UPDATE CASCADE;
