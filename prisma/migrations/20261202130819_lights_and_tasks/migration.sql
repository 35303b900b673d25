-- AlterEnum
ALTER TYPE "TaskStatus" ADD VALUE 'AWAITING_CLOSE';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "WarningRuleKind" ADD VALUE 'NEGATIVE_GROWTH';
ALTER TYPE "WarningRuleKind" ADD VALUE 'OVERDUE_TASKS';

-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "closedById" UUID,
ADD COLUMN     "instructionId" UUID;

-- AlterTable
ALTER TABLE "Warning" ADD COLUMN     "acknowledgedAt" TIMESTAMPTZ(3),
ADD COLUMN     "acknowledgedById" UUID,
ADD COLUMN     "computedLevel" "LightLevel" NOT NULL DEFAULT 'GREEN',
ADD COLUMN     "escalationStep" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lastDigestKey" TEXT,
ADD COLUMN     "lastPushedAt" TIMESTAMPTZ(3),
ADD COLUMN     "pushedLevel" "LightLevel",
ADD COLUMN     "vintage" "Vintage" NOT NULL DEFAULT 'FLASH';

-- CreateTable
CREATE TABLE "LightChange" (
    "id" UUID NOT NULL,
    "warningId" UUID NOT NULL,
    "fromLevel" "LightLevel",
    "toLevel" "LightLevel" NOT NULL,
    "computedLevel" "LightLevel" NOT NULL,
    "reasons" JSONB NOT NULL,
    "vintage" "Vintage" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LightChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Instruction" (
    "id" UUID NOT NULL,
    "warningId" UUID NOT NULL,
    "authorId" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "unitIds" TEXT[],
    "at" TIMESTAMPTZ(3) NOT NULL,
    "requestKey" TEXT,

    CONSTRAINT "Instruction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "LightChange_warningId_at_idx" ON "LightChange"("warningId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Instruction_requestKey_key" ON "Instruction"("requestKey");

-- CreateIndex
CREATE INDEX "Instruction_warningId_idx" ON "Instruction"("warningId");

-- AddForeignKey
ALTER TABLE "Warning" ADD CONSTRAINT "Warning_acknowledgedById_fkey" FOREIGN KEY ("acknowledgedById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LightChange" ADD CONSTRAINT "LightChange_warningId_fkey" FOREIGN KEY ("warningId") REFERENCES "Warning"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Instruction" ADD CONSTRAINT "Instruction_warningId_fkey" FOREIGN KEY ("warningId") REFERENCES "Warning"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Instruction" ADD CONSTRAINT "Instruction_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_instructionId_fkey" FOREIGN KEY ("instructionId") REFERENCES "Instruction"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Every change of light is kept: never updated, never deleted.
CREATE TRIGGER "LightChange_append_only" BEFORE UPDATE OR DELETE ON "LightChange"
  FOR EACH ROW EXECUTE FUNCTION "econ_refuse_change"();
