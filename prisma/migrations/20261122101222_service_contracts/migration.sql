-- CreateEnum
CREATE TYPE "BillingRhythm" AS ENUM ('monthly', 'quarterly', 'yearly', 'per_intervention');

-- CreateEnum
CREATE TYPE "BillingTiming" AS ENUM ('in_advance', 'in_arrears');

-- CreateEnum
CREATE TYPE "ContractStatus" AS ENUM ('active', 'ending', 'terminated');

-- CreateEnum
CREATE TYPE "RenewalRule" AS ENUM ('uplift', 'index');

-- CreateEnum
CREATE TYPE "VisitStatus" AS ENUM ('planned', 'started', 'done', 'overdue', 'cancelled');

-- CreateTable
CREATE TABLE "Contract" (
    "id" TEXT NOT NULL,
    "idempotencyKey" TEXT,
    "customerId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "accountManagerEmail" TEXT NOT NULL,
    "status" "ContractStatus" NOT NULL DEFAULT 'active',
    "termNumber" INTEGER NOT NULL DEFAULT 1,
    "termStart" DATE NOT NULL,
    "termEnd" DATE NOT NULL,
    "termMonths" INTEGER NOT NULL DEFAULT 12,
    "endDate" DATE,
    "endReason" TEXT,
    "priceCents" INTEGER NOT NULL,
    "vatRateBp" INTEGER NOT NULL DEFAULT 2000,
    "billingRhythm" "BillingRhythm" NOT NULL,
    "billingTiming" "BillingTiming" NOT NULL DEFAULT 'in_advance',
    "tacitRenewal" BOOLEAN NOT NULL DEFAULT true,
    "noticeDays" INTEGER NOT NULL DEFAULT 60,
    "renewalRule" "RenewalRule" NOT NULL DEFAULT 'uplift',
    "renewalUpliftBp" INTEGER NOT NULL DEFAULT 0,
    "renewalIndex" TEXT,
    "slaHours" JSONB,
    "equipment" TEXT[],
    "renewalStatus" TEXT,
    "proposedPriceCents" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Contract_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContractSite" (
    "contractId" TEXT NOT NULL,
    "siteId" TEXT NOT NULL,

    CONSTRAINT "ContractSite_pkey" PRIMARY KEY ("contractId","siteId")
);

-- CreateTable
CREATE TABLE "ContractPlanItem" (
    "id" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "siteId" TEXT NOT NULL,
    "equipment" TEXT,
    "label" TEXT NOT NULL,
    "visitsPerYear" INTEGER NOT NULL,
    "skills" TEXT[],
    "durationMinutes" INTEGER NOT NULL DEFAULT 60,
    "validFrom" DATE NOT NULL,
    "validTo" DATE,

    CONSTRAINT "ContractPlanItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContractVersion" (
    "id" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "effectiveFrom" DATE NOT NULL,
    "priceCents" INTEGER NOT NULL,
    "changes" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContractVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContractTerm" (
    "id" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "start" DATE NOT NULL,
    "end" DATE NOT NULL,
    "priceCents" INTEGER NOT NULL,
    "outcome" TEXT,
    "legalNoticeSentAt" TIMESTAMP(3),

    CONSTRAINT "ContractTerm_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContractVisit" (
    "id" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "termNumber" INTEGER NOT NULL,
    "planItemId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "dueDate" DATE NOT NULL,
    "windowEnd" DATE NOT NULL,
    "status" "VisitStatus" NOT NULL DEFAULT 'planned',
    "interventionId" TEXT,

    CONSTRAINT "ContractVisit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BillingDraft" (
    "id" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "lines" JSONB NOT NULL,
    "totalHtCents" INTEGER NOT NULL,
    "invoiceId" TEXT,
    "emailedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BillingDraft_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PriceIndexValue" (
    "name" TEXT NOT NULL,
    "publishedOn" DATE NOT NULL,
    "valueMilli" INTEGER NOT NULL,

    CONSTRAINT "PriceIndexValue_pkey" PRIMARY KEY ("name","publishedOn")
);

-- CreateIndex
CREATE UNIQUE INDEX "Contract_idempotencyKey_key" ON "Contract"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Contract_customerId_idx" ON "Contract"("customerId");

-- CreateIndex
CREATE INDEX "Contract_status_termEnd_idx" ON "Contract"("status", "termEnd");

-- CreateIndex
CREATE INDEX "ContractSite_siteId_idx" ON "ContractSite"("siteId");

-- CreateIndex
CREATE INDEX "ContractPlanItem_contractId_idx" ON "ContractPlanItem"("contractId");

-- CreateIndex
CREATE UNIQUE INDEX "ContractVersion_contractId_version_key" ON "ContractVersion"("contractId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "ContractTerm_contractId_number_key" ON "ContractTerm"("contractId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "ContractVisit_interventionId_key" ON "ContractVisit"("interventionId");

-- CreateIndex
CREATE INDEX "ContractVisit_status_windowEnd_idx" ON "ContractVisit"("status", "windowEnd");

-- CreateIndex
CREATE UNIQUE INDEX "ContractVisit_contractId_termNumber_planItemId_sequence_key" ON "ContractVisit"("contractId", "termNumber", "planItemId", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "BillingDraft_invoiceId_key" ON "BillingDraft"("invoiceId");

-- CreateIndex
CREATE INDEX "BillingDraft_period_contractId_idx" ON "BillingDraft"("period", "contractId");

-- CreateIndex
CREATE UNIQUE INDEX "BillingDraft_contractId_period_key" ON "BillingDraft"("contractId", "period");

-- AddForeignKey
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractSite" ADD CONSTRAINT "ContractSite_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "Contract"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractSite" ADD CONSTRAINT "ContractSite_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractPlanItem" ADD CONSTRAINT "ContractPlanItem_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "Contract"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractVersion" ADD CONSTRAINT "ContractVersion_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "Contract"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractTerm" ADD CONSTRAINT "ContractTerm_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "Contract"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractVisit" ADD CONSTRAINT "ContractVisit_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "Contract"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractVisit" ADD CONSTRAINT "ContractVisit_planItemId_fkey" FOREIGN KEY ("planItemId") REFERENCES "ContractPlanItem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BillingDraft" ADD CONSTRAINT "BillingDraft_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "Contract"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
