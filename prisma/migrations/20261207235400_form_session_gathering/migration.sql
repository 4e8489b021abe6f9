-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_FormSession" (
    "personId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "responseId" INTEGER NOT NULL,
    "sectionId" TEXT,
    "askedQuestionId" TEXT,
    "returnToReview" BOOLEAN NOT NULL DEFAULT false,
    "gathering" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_FormSession" ("askedQuestionId", "personId", "responseId", "returnToReview", "sectionId", "updatedAt") SELECT "askedQuestionId", "personId", "responseId", "returnToReview", "sectionId", "updatedAt" FROM "FormSession";
DROP TABLE "FormSession";
ALTER TABLE "new_FormSession" RENAME TO "FormSession";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
