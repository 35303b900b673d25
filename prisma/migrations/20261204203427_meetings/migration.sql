-- CreateEnum
CREATE TYPE "InstructionReplyKind" AS ENUM ('RECEIVED', 'MEASURES');

-- CreateEnum
CREATE TYPE "SeatKind" AS ENUM ('EXCHANGE', 'STATEMENT', 'INTERVIEW');

-- CreateEnum
CREATE TYPE "SeatStatus" AS ENUM ('PROPOSED', 'CONFIRMED', 'REMOVED');

-- AlterEnum
ALTER TYPE "MeetingStatus" ADD VALUE 'DRAFT';

-- AlterEnum
ALTER TYPE "Rsvp" ADD VALUE 'DELEGATED';

-- AlterTable
ALTER TABLE "InterviewRecord" ADD COLUMN     "heldAt" TIMESTAMPTZ(3),
ADD COLUMN     "interviewers" TEXT,
ADD COLUMN     "rankingNote" TEXT,
ADD COLUMN     "warningIds" TEXT[];

-- AlterTable
ALTER TABLE "Meeting" ADD COLUMN     "cancelReason" TEXT,
ADD COLUMN     "no" SERIAL NOT NULL,
ADD COLUMN     "proposedById" UUID,
ADD COLUMN     "reasons" JSONB,
ADD COLUMN     "recordRequestedAt" TIMESTAMPTZ(3),
ADD COLUMN     "syncedVersion" INTEGER NOT NULL DEFAULT -1,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "wantsChat" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "MeetingAttendee" ADD COLUMN     "delegateId" UUID,
ADD COLUMN     "delegateName" TEXT,
ADD COLUMN     "leaveReason" TEXT,
ADD COLUMN     "unitId" UUID;

-- AlterTable
ALTER TABLE "Ranking" ADD COLUMN     "method" TEXT NOT NULL DEFAULT 'rank_points',
ADD COLUMN     "revisedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "RankingEntry" ADD COLUMN     "previousRank" INTEGER,
ADD COLUMN     "rankBeforeRevision" INTEGER,
ADD COLUMN     "tied" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "InstructionReply" (
    "id" UUID NOT NULL,
    "instructionId" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "authorId" UUID NOT NULL,
    "kind" "InstructionReplyKind" NOT NULL,
    "text" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "requestKey" TEXT,

    CONSTRAINT "InstructionReply_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SeatProposal" (
    "id" UUID NOT NULL,
    "periodId" UUID NOT NULL,
    "kind" "SeatKind" NOT NULL,
    "unitId" UUID NOT NULL,
    "reasons" JSONB NOT NULL,
    "status" "SeatStatus" NOT NULL DEFAULT 'PROPOSED',
    "manual" BOOLEAN NOT NULL DEFAULT false,
    "decidedById" UUID,
    "decidedAt" TIMESTAMPTZ(3),
    "meetingId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SeatProposal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InterviewFollowUp" (
    "id" UUID NOT NULL,
    "recordId" UUID NOT NULL,
    "outcome" TEXT NOT NULL,
    "met" BOOLEAN,
    "recordedById" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "requestKey" TEXT,

    CONSTRAINT "InterviewFollowUp_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "InstructionReply_requestKey_key" ON "InstructionReply"("requestKey");

-- CreateIndex
CREATE INDEX "InstructionReply_instructionId_at_idx" ON "InstructionReply"("instructionId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "SeatProposal_periodId_kind_unitId_key" ON "SeatProposal"("periodId", "kind", "unitId");

-- CreateIndex
CREATE UNIQUE INDEX "InterviewFollowUp_requestKey_key" ON "InterviewFollowUp"("requestKey");

-- CreateIndex
CREATE INDEX "InterviewFollowUp_recordId_at_idx" ON "InterviewFollowUp"("recordId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_no_key" ON "Meeting"("no");

-- AddForeignKey
ALTER TABLE "InstructionReply" ADD CONSTRAINT "InstructionReply_instructionId_fkey" FOREIGN KEY ("instructionId") REFERENCES "Instruction"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstructionReply" ADD CONSTRAINT "InstructionReply_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstructionReply" ADD CONSTRAINT "InstructionReply_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SeatProposal" ADD CONSTRAINT "SeatProposal_periodId_fkey" FOREIGN KEY ("periodId") REFERENCES "ReportingPeriod"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SeatProposal" ADD CONSTRAINT "SeatProposal_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_proposedById_fkey" FOREIGN KEY ("proposedById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingAttendee" ADD CONSTRAINT "MeetingAttendee_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingAttendee" ADD CONSTRAINT "MeetingAttendee_delegateId_fkey" FOREIGN KEY ("delegateId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InterviewFollowUp" ADD CONSTRAINT "InterviewFollowUp_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "InterviewRecord"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InterviewFollowUp" ADD CONSTRAINT "InterviewFollowUp_recordedById_fkey" FOREIGN KEY ("recordedById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The 约谈 archive and units' answers to 批示 are append-only (记入档案).
CREATE TRIGGER "InterviewRecord_append_only" BEFORE UPDATE OR DELETE ON "InterviewRecord"
  FOR EACH ROW EXECUTE FUNCTION "econ_refuse_change"();
CREATE TRIGGER "InterviewFollowUp_append_only" BEFORE UPDATE OR DELETE ON "InterviewFollowUp"
  FOR EACH ROW EXECUTE FUNCTION "econ_refuse_change"();
CREATE TRIGGER "InstructionReply_append_only" BEFORE UPDATE OR DELETE ON "InstructionReply"
  FOR EACH ROW EXECUTE FUNCTION "econ_refuse_change"();
