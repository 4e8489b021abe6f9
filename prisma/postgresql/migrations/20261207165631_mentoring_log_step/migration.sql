-- CreateTable
CREATE TABLE "MentoringLogStep" (
    "personId" INTEGER NOT NULL,
    "step" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MentoringLogStep_pkey" PRIMARY KEY ("personId")
);
