-- AlterTable
ALTER TABLE "Problem" ADD COLUMN     "answer" TEXT,
ADD COLUMN     "answeredAt" TIMESTAMPTZ(3),
ADD COLUMN     "answeredById" UUID,
ADD COLUMN     "assignNote" TEXT,
ADD COLUMN     "assignedAt" TIMESTAMPTZ(3),
ADD COLUMN     "assignedById" UUID,
ADD COLUMN     "assignedUnitId" UUID,
ADD COLUMN     "closedById" UUID;

-- CreateIndex
CREATE INDEX "Problem_assignedUnitId_status_idx" ON "Problem"("assignedUnitId", "status");

-- AddForeignKey
ALTER TABLE "Problem" ADD CONSTRAINT "Problem_assignedUnitId_fkey" FOREIGN KEY ("assignedUnitId") REFERENCES "Unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;
