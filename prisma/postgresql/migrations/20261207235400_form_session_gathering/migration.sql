-- AlterTable
ALTER TABLE "FormSession" ADD COLUMN     "gathering" BOOLEAN NOT NULL DEFAULT false;
