-- CreateEnum
CREATE TYPE "MonthlyReportStatus" AS ENUM ('DRAFT', 'SENT');

-- CreateTable
CREATE TABLE "MonthlyReport" (
    "id" UUID NOT NULL,
    "periodId" UUID NOT NULL,
    "status" "MonthlyReportStatus" NOT NULL DEFAULT 'DRAFT',
    "facts" JSONB NOT NULL,
    "generatedAt" TIMESTAMPTZ(3) NOT NULL,
    "sentAt" TIMESTAMPTZ(3),
    "sentById" UUID,
    "sentRevisionNo" INTEGER,

    CONSTRAINT "MonthlyReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MonthlyReportRevision" (
    "id" UUID NOT NULL,
    "reportId" UUID NOT NULL,
    "revisionNo" INTEGER NOT NULL,
    "paragraphs" JSONB NOT NULL,
    "editedById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MonthlyReportRevision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "MonthlyReport_periodId_key" ON "MonthlyReport"("periodId");

-- CreateIndex
CREATE UNIQUE INDEX "MonthlyReportRevision_reportId_revisionNo_key" ON "MonthlyReportRevision"("reportId", "revisionNo");

-- AddForeignKey
ALTER TABLE "MonthlyReport" ADD CONSTRAINT "MonthlyReport_periodId_fkey" FOREIGN KEY ("periodId") REFERENCES "ReportingPeriod"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonthlyReport" ADD CONSTRAINT "MonthlyReport_sentById_fkey" FOREIGN KEY ("sentById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonthlyReportRevision" ADD CONSTRAINT "MonthlyReportRevision_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "MonthlyReport"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonthlyReportRevision" ADD CONSTRAINT "MonthlyReportRevision_editedById_fkey" FOREIGN KEY ("editedById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The report's text is kept as revisions: an edit appends, never overwrites.
CREATE TRIGGER "MonthlyReportRevision_append_only" BEFORE UPDATE OR DELETE ON "MonthlyReportRevision"
  FOR EACH ROW EXECUTE FUNCTION "econ_refuse_change"();
