-- AlterEnum
ALTER TYPE "GrowthBasis" ADD VALUE 'COMPARABLE';

-- AlterTable
ALTER TABLE "Indicator" ADD COLUMN     "growthOnly" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "SubmissionRevision" ALTER COLUMN "value" DROP NOT NULL;
