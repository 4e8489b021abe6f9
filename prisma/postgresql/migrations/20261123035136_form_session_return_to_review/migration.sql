-- AlterTable
ALTER TABLE "FormSession" ADD COLUMN     "returnToReview" BOOLEAN NOT NULL DEFAULT false;
