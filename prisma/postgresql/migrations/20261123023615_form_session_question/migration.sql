-- AlterTable
ALTER TABLE "FormSession" ADD COLUMN     "askedQuestionId" TEXT;
