-- CreateEnum
CREATE TYPE "CompareWith" AS ENUM ('PARENT', 'WEIGHTED', 'MEAN');

-- AlterTable
ALTER TABLE "Indicator" ADD COLUMN     "compareWith" "CompareWith" NOT NULL DEFAULT 'PARENT';
