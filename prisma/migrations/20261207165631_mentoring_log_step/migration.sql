-- CreateTable
CREATE TABLE "MentoringLogStep" (
    "personId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "step" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
