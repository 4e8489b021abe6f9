-- AlterTable
ALTER TABLE "Programme" ADD COLUMN     "consentText" TEXT,
ADD COLUMN     "inactivityDays" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "matchingWeights" TEXT,
ADD COLUMN     "reminderOffsets" TEXT NOT NULL DEFAULT '[1440,60]',
ADD COLUMN     "retentionMonths" INTEGER;

-- CreateTable
CREATE TABLE "Team" (
    "id" SERIAL NOT NULL,
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
    "reopenRequestedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeamMember" (
    "id" SERIAL NOT NULL,
    "teamId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "joinedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TeamMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Stakeholder" (
    "id" SERIAL NOT NULL,
    "teamId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "organisation" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "addedById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Stakeholder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GoodPractice" (
    "id" SERIAL NOT NULL,
    "programmeId" INTEGER NOT NULL,
    "authorKey" TEXT NOT NULL,
    "createdById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GoodPractice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApplicationDecision" (
    "id" SERIAL NOT NULL,
    "responseId" INTEGER NOT NULL,
    "decision" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "decidedById" INTEGER NOT NULL,
    "decidedAt" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3),
    "undoneAt" TIMESTAMP(3),

    CONSTRAINT "ApplicationDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Mentor" (
    "id" SERIAL NOT NULL,
    "programmeId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "applicationId" INTEGER NOT NULL,
    "capacity" INTEGER NOT NULL DEFAULT 1,
    "acceptedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Mentor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Pair" (
    "id" SERIAL NOT NULL,
    "programmeId" INTEGER NOT NULL,
    "mentorId" INTEGER NOT NULL,
    "teamId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "score" DOUBLE PRECISION,
    "reasons" TEXT,
    "createdById" INTEGER NOT NULL,
    "publishedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "endReason" TEXT,
    "nudgedAt" TIMESTAMP(3),
    "alertedAt" TIMESTAMP(3),

    CONSTRAINT "Pair_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MatchConstraint" (
    "id" SERIAL NOT NULL,
    "programmeId" INTEGER NOT NULL,
    "mentorId" INTEGER NOT NULL,
    "teamId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "createdById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MatchConstraint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Broadcast" (
    "id" SERIAL NOT NULL,
    "programmeId" INTEGER NOT NULL,
    "audience" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmedAt" TIMESTAMP(3),
    "reportedAt" TIMESTAMP(3),

    CONSTRAINT "Broadcast_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutgoingMessage" (
    "id" SERIAL NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "personId" INTEGER NOT NULL,
    "chatId" BIGINT NOT NULL,
    "template" TEXT,
    "params" TEXT,
    "text" TEXT,
    "attachment" TEXT,
    "buttons" TEXT,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'pending',
    "claimedBy" TEXT,
    "claimedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "sentAt" TIMESTAMP(3),
    "error" TEXT,
    "broadcastId" INTEGER,
    "sessionId" INTEGER,
    "eventId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutgoingMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" SERIAL NOT NULL,
    "programmeId" INTEGER NOT NULL,
    "pairId" INTEGER,
    "kind" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "durationMinutes" INTEGER NOT NULL DEFAULT 60,
    "place" TEXT,
    "agenda" TEXT,
    "organiserId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "followUpSentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SessionRsvp" (
    "sessionId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "answer" TEXT NOT NULL,
    "note" TEXT,
    "answeredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SessionRsvp_pkey" PRIMARY KEY ("sessionId","personId")
);

-- CreateTable
CREATE TABLE "ProgrammeEvent" (
    "id" SERIAL NOT NULL,
    "programmeId" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "place" TEXT NOT NULL,
    "capacity" INTEGER NOT NULL,
    "audience" TEXT NOT NULL,
    "createdById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cancelledAt" TIMESTAMP(3),

    CONSTRAINT "ProgrammeEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EventRegistration" (
    "id" SERIAL NOT NULL,
    "eventId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "registeredAt" TIMESTAMP(3) NOT NULL,
    "promotedAt" TIMESTAMP(3),

    CONSTRAINT "EventRegistration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MentoringLog" (
    "id" SERIAL NOT NULL,
    "pairId" INTEGER NOT NULL,
    "mentorPersonId" INTEGER NOT NULL,
    "date" TEXT NOT NULL,
    "amount" DOUBLE PRECISION NOT NULL,
    "activity" TEXT NOT NULL,
    "note" TEXT,
    "sessionId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MentoringLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Visit" (
    "id" SERIAL NOT NULL,
    "pairId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "plannedFor" TEXT,
    "doneOn" TEXT,
    "participants" TEXT,
    "outcomes" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Visit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActionPlan" (
    "id" SERIAL NOT NULL,
    "pairId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ActionPlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActionPlanRow" (
    "id" SERIAL NOT NULL,
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
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ActionPlanRow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActionPlanVersion" (
    "id" SERIAL NOT NULL,
    "planId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "snapshot" TEXT NOT NULL,
    "createdById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ActionPlanVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" SERIAL NOT NULL,
    "actorId" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "details" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessedUpdate" (
    "updateId" BIGINT NOT NULL,
    "handledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessedUpdate_pkey" PRIMARY KEY ("updateId")
);

-- CreateTable
CREATE TABLE "JobRun" (
    "key" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("key")
);

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

-- AddForeignKey
ALTER TABLE "TeamMember" ADD CONSTRAINT "TeamMember_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Stakeholder" ADD CONSTRAINT "Stakeholder_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionRsvp" ADD CONSTRAINT "SessionRsvp_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventRegistration" ADD CONSTRAINT "EventRegistration_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "ProgrammeEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionPlanRow" ADD CONSTRAINT "ActionPlanRow_planId_fkey" FOREIGN KEY ("planId") REFERENCES "ActionPlan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionPlanVersion" ADD CONSTRAINT "ActionPlanVersion_planId_fkey" FOREIGN KEY ("planId") REFERENCES "ActionPlan"("id") ON DELETE CASCADE ON UPDATE CASCADE;
