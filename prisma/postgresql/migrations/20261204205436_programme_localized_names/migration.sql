-- AlterTable
ALTER TABLE "Programme" ADD COLUMN     "localizedNames" TEXT;
