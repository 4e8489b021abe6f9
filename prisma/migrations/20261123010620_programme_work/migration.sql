-- CreateTable
CREATE TABLE "Team" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "programmeId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'municipality',
    "name" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "region" TEXT,
    "city" TEXT,
    "population" INTEGER,
    "contactName" TEXT,
    "contactEmail" TEXT,
    "inviteCode" TEXT,
    "createdById" INTEGER NOT NULL,
    "reopenRequestedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "TeamMember" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "teamId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "joinedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TeamMember_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Stakeholder" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "teamId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "organisation" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "addedById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Stakeholder_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "GoodPractice" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "programmeId" INTEGER NOT NULL,
    "authorKey" TEXT NOT NULL,
    "createdById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ApplicationDecision" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "responseId" INTEGER NOT NULL,
    "decision" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "decidedById" INTEGER NOT NULL,
    "decidedAt" DATETIME NOT NULL,
    "sentAt" DATETIME,
    "undoneAt" DATETIME
);

-- CreateTable
CREATE TABLE "Mentor" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "programmeId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "applicationId" INTEGER NOT NULL,
    "capacity" INTEGER NOT NULL DEFAULT 1,
    "acceptedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Pair" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "programmeId" INTEGER NOT NULL,
    "mentorId" INTEGER NOT NULL,
    "teamId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "score" REAL,
    "reasons" TEXT,
    "createdById" INTEGER NOT NULL,
    "publishedAt" DATETIME NOT NULL,
    "endedAt" DATETIME,
    "endReason" TEXT,
    "nudgedAt" DATETIME,
    "alertedAt" DATETIME
);

-- CreateTable
CREATE TABLE "MatchConstraint" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "programmeId" INTEGER NOT NULL,
    "mentorId" INTEGER NOT NULL,
    "teamId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "createdById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Broadcast" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "programmeId" INTEGER NOT NULL,
    "audience" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmedAt" DATETIME,
    "reportedAt" DATETIME
);

-- CreateTable
CREATE TABLE "OutgoingMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "dedupeKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "personId" INTEGER NOT NULL,
    "chatId" BIGINT NOT NULL,
    "template" TEXT,
    "params" TEXT,
    "text" TEXT,
    "attachment" TEXT,
    "buttons" TEXT,
    "dueAt" DATETIME NOT NULL,
    "expiresAt" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "claimedBy" TEXT,
    "claimedAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "sentAt" DATETIME,
    "error" TEXT,
    "broadcastId" INTEGER,
    "sessionId" INTEGER,
    "eventId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Session" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "programmeId" INTEGER NOT NULL,
    "pairId" INTEGER,
    "kind" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "durationMinutes" INTEGER NOT NULL DEFAULT 60,
    "place" TEXT,
    "agenda" TEXT,
    "organiserId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "followUpSentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SessionRsvp" (
    "sessionId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "answer" TEXT NOT NULL,
    "note" TEXT,
    "answeredAt" DATETIME NOT NULL,

    PRIMARY KEY ("sessionId", "personId"),
    CONSTRAINT "SessionRsvp_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProgrammeEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "programmeId" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "place" TEXT NOT NULL,
    "capacity" INTEGER NOT NULL,
    "audience" TEXT NOT NULL,
    "createdById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cancelledAt" DATETIME
);

-- CreateTable
CREATE TABLE "EventRegistration" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "eventId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "registeredAt" DATETIME NOT NULL,
    "promotedAt" DATETIME,
    CONSTRAINT "EventRegistration_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "ProgrammeEvent" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MentoringLog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "pairId" INTEGER NOT NULL,
    "mentorPersonId" INTEGER NOT NULL,
    "date" TEXT NOT NULL,
    "amount" REAL NOT NULL,
    "activity" TEXT NOT NULL,
    "note" TEXT,
    "sessionId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Visit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "pairId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "plannedFor" TEXT,
    "doneOn" TEXT,
    "participants" TEXT,
    "outcomes" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ActionPlan" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "pairId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ActionPlanRow" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "planId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "results" TEXT NOT NULL,
    "timeline" TEXT NOT NULL,
    "lead" TEXT NOT NULL,
    "resources" TEXT NOT NULL,
    "measure" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'planned',
    "updatedById" INTEGER NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ActionPlanRow_planId_fkey" FOREIGN KEY ("planId") REFERENCES "ActionPlan" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ActionPlanVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "planId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "snapshot" TEXT NOT NULL,
    "createdById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ActionPlanVersion_planId_fkey" FOREIGN KEY ("planId") REFERENCES "ActionPlan" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "actorId" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "details" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ProcessedUpdate" (
    "updateId" BIGINT NOT NULL PRIMARY KEY,
    "handledAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "JobRun" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Programme" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "callOpen" BOOLEAN NOT NULL DEFAULT false,
    "applicationDeadline" DATETIME,
    "targetDaysPerMonth" REAL NOT NULL DEFAULT 2,
    "durationMonths" INTEGER NOT NULL DEFAULT 6,
    "matchingWeights" TEXT,
    "reminderOffsets" TEXT NOT NULL DEFAULT '[1440,60]',
    "inactivityDays" INTEGER NOT NULL DEFAULT 30,
    "consentText" TEXT,
    "retentionMonths" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Programme" ("applicationDeadline", "callOpen", "createdAt", "durationMonths", "id", "name", "targetDaysPerMonth", "timeZone", "updatedAt") SELECT "applicationDeadline", "callOpen", "createdAt", "durationMonths", "id", "name", "targetDaysPerMonth", "timeZone", "updatedAt" FROM "Programme";
DROP TABLE "Programme";
ALTER TABLE "new_Programme" RENAME TO "Programme";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Team_inviteCode_key" ON "Team"("inviteCode");

-- CreateIndex
CREATE INDEX "TeamMember_personId_idx" ON "TeamMember"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "TeamMember_teamId_personId_key" ON "TeamMember"("teamId", "personId");

-- CreateIndex
CREATE INDEX "GoodPractice_authorKey_idx" ON "GoodPractice"("authorKey");

-- CreateIndex
CREATE INDEX "ApplicationDecision_responseId_idx" ON "ApplicationDecision"("responseId");

-- CreateIndex
CREATE UNIQUE INDEX "Mentor_applicationId_key" ON "Mentor"("applicationId");

-- CreateIndex
CREATE UNIQUE INDEX "Mentor_programmeId_personId_key" ON "Mentor"("programmeId", "personId");

-- CreateIndex
CREATE INDEX "Pair_mentorId_status_idx" ON "Pair"("mentorId", "status");

-- CreateIndex
CREATE INDEX "Pair_teamId_status_idx" ON "Pair"("teamId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "MatchConstraint_programmeId_mentorId_teamId_key" ON "MatchConstraint"("programmeId", "mentorId", "teamId");

-- CreateIndex
CREATE UNIQUE INDEX "OutgoingMessage_dedupeKey_key" ON "OutgoingMessage"("dedupeKey");

-- CreateIndex
CREATE INDEX "OutgoingMessage_status_dueAt_idx" ON "OutgoingMessage"("status", "dueAt");

-- CreateIndex
CREATE INDEX "OutgoingMessage_broadcastId_idx" ON "OutgoingMessage"("broadcastId");

-- CreateIndex
CREATE INDEX "OutgoingMessage_sessionId_idx" ON "OutgoingMessage"("sessionId");

-- CreateIndex
CREATE INDEX "Session_pairId_idx" ON "Session"("pairId");

-- CreateIndex
CREATE INDEX "EventRegistration_eventId_status_registeredAt_idx" ON "EventRegistration"("eventId", "status", "registeredAt");

-- CreateIndex
CREATE UNIQUE INDEX "EventRegistration_eventId_personId_key" ON "EventRegistration"("eventId", "personId");

-- CreateIndex
CREATE INDEX "MentoringLog_pairId_date_idx" ON "MentoringLog"("pairId", "date");

-- CreateIndex
CREATE UNIQUE INDEX "Visit_pairId_number_key" ON "Visit"("pairId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "ActionPlan_pairId_key" ON "ActionPlan"("pairId");

-- CreateIndex
CREATE UNIQUE INDEX "ActionPlanVersion_planId_version_key" ON "ActionPlanVersion"("planId", "version");

-- CreateIndex
CREATE INDEX "AuditEntry_createdAt_idx" ON "AuditEntry"("createdAt");
