-- CreateEnum
CREATE TYPE "FollowUpStatus" AS ENUM ('PENDING', 'DONE');

-- AlterTable
ALTER TABLE "InboundReceipt" ADD COLUMN     "outcome" JSONB;

-- CreateTable
CREATE TABLE "FollowUp" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "jobId" TEXT NOT NULL,
    "runAt" TIMESTAMPTZ(3),
    "status" "FollowUpStatus" NOT NULL DEFAULT 'PENDING',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" TIMESTAMPTZ(3),

    CONSTRAINT "FollowUp_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "FollowUp_jobId_key" ON "FollowUp"("jobId");

-- CreateIndex
CREATE INDEX "FollowUp_status_createdAt_idx" ON "FollowUp"("status", "createdAt");
