-- CreateEnum
CREATE TYPE "UnitReportStatus" AS ENUM ('PENDING', 'SUBMITTED');

-- CreateEnum
CREATE TYPE "EditRequestStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "CalendarSource" AS ENUM ('YEAR', 'OVERRIDE');

-- AlterTable
ALTER TABLE "ReportingCycle" ADD COLUMN     "dueHour" INTEGER NOT NULL DEFAULT 18,
ADD COLUMN     "escalations" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "openDay" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "quietFromHour" INTEGER NOT NULL DEFAULT 21,
ADD COLUMN     "quietToHour" INTEGER NOT NULL DEFAULT 8,
ADD COLUMN     "remindOnRestDays" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "SubmissionRevision" ADD COLUMN     "reportRevisionId" UUID;

-- CreateTable
CREATE TABLE "UnitReport" (
    "id" UUID NOT NULL,
    "periodId" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "status" "UnitReportStatus" NOT NULL DEFAULT 'PENDING',
    "extendedDueDate" DATE,
    "firstSubmittedAt" TIMESTAMPTZ(3),
    "lastSubmittedAt" TIMESTAMPTZ(3),
    "currentRevisionNo" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "UnitReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportRevision" (
    "id" UUID NOT NULL,
    "reportId" UUID NOT NULL,
    "revisionNo" INTEGER NOT NULL,
    "page" INTEGER NOT NULL DEFAULT 1,
    "enterpriseCoverage" TEXT,
    "keyWork" TEXT,
    "reason" TEXT,
    "submittedById" UUID,
    "onBehalf" BOOLEAN NOT NULL DEFAULT false,
    "submittedAt" TIMESTAMPTZ(3) NOT NULL,
    "requestKey" TEXT,

    CONSTRAINT "ReportRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EditRequest" (
    "id" UUID NOT NULL,
    "reportId" UUID NOT NULL,
    "page" INTEGER NOT NULL DEFAULT 1,
    "payload" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "requestedById" UUID NOT NULL,
    "status" "EditRequestStatus" NOT NULL DEFAULT 'PENDING',
    "decidedById" UUID,
    "decidedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "requestKey" TEXT,

    CONSTRAINT "EditRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Leave" (
    "id" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "startDate" DATE NOT NULL,
    "endDate" DATE NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "cancelledAt" TIMESTAMPTZ(3),
    "requestKey" TEXT,

    CONSTRAINT "Leave_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalendarDay" (
    "date" DATE NOT NULL,
    "workday" BOOLEAN NOT NULL,
    "note" TEXT,
    "source" "CalendarSource" NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "CalendarDay_pkey" PRIMARY KEY ("date")
);

-- CreateTable
CREATE TABLE "CalendarYear" (
    "year" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "CalendarYear_pkey" PRIMARY KEY ("year")
);

-- CreateIndex
CREATE INDEX "UnitReport_unitId_idx" ON "UnitReport"("unitId");

-- CreateIndex
CREATE UNIQUE INDEX "UnitReport_periodId_unitId_key" ON "UnitReport"("periodId", "unitId");

-- CreateIndex
CREATE UNIQUE INDEX "ReportRevision_requestKey_key" ON "ReportRevision"("requestKey");

-- CreateIndex
CREATE UNIQUE INDEX "ReportRevision_reportId_revisionNo_key" ON "ReportRevision"("reportId", "revisionNo");

-- CreateIndex
CREATE UNIQUE INDEX "EditRequest_requestKey_key" ON "EditRequest"("requestKey");

-- CreateIndex
CREATE INDEX "EditRequest_status_idx" ON "EditRequest"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Leave_requestKey_key" ON "Leave"("requestKey");

-- CreateIndex
CREATE INDEX "Leave_personId_startDate_idx" ON "Leave"("personId", "startDate");

-- AddForeignKey
ALTER TABLE "UnitReport" ADD CONSTRAINT "UnitReport_periodId_fkey" FOREIGN KEY ("periodId") REFERENCES "ReportingPeriod"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UnitReport" ADD CONSTRAINT "UnitReport_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportRevision" ADD CONSTRAINT "ReportRevision_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "UnitReport"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportRevision" ADD CONSTRAINT "ReportRevision_submittedById_fkey" FOREIGN KEY ("submittedById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EditRequest" ADD CONSTRAINT "EditRequest_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "UnitReport"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EditRequest" ADD CONSTRAINT "EditRequest_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EditRequest" ADD CONSTRAINT "EditRequest_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Leave" ADD CONSTRAINT "Leave_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubmissionRevision" ADD CONSTRAINT "SubmissionRevision_reportRevisionId_fkey" FOREIGN KEY ("reportRevisionId") REFERENCES "ReportRevision"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Unit-level revisions are as immutable as the figure revisions they come with.
CREATE TRIGGER "ReportRevision_append_only" BEFORE UPDATE OR DELETE ON "ReportRevision"
  FOR EACH ROW EXECUTE FUNCTION "econ_refuse_change"();
