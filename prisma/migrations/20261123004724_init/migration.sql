-- CreateEnum
CREATE TYPE "UnitKind" AS ENUM ('CITY', 'REGION', 'DEPARTMENT', 'WORKING_GROUP', 'STREET', 'OFFICE');

-- CreateEnum
CREATE TYPE "UnitRoleKind" AS ENUM ('LIAISON', 'BACKUP_LIAISON', 'HEAD', 'ORGANISER');

-- CreateEnum
CREATE TYPE "LeaderRank" AS ENUM ('PRINCIPAL', 'DEPUTY');

-- CreateEnum
CREATE TYPE "ValueKind" AS ENUM ('CUMULATIVE', 'CURRENT');

-- CreateEnum
CREATE TYPE "Frequency" AS ENUM ('WEEKLY', 'MONTHLY', 'QUARTERLY');

-- CreateEnum
CREATE TYPE "Direction" AS ENUM ('HIGHER_IS_BETTER', 'LOWER_IS_BETTER');

-- CreateEnum
CREATE TYPE "GrowthBasis" AS ENUM ('YOY', 'NONE');

-- CreateEnum
CREATE TYPE "TargetPeriod" AS ENUM ('YEAR', 'QUARTER', 'MONTH');

-- CreateEnum
CREATE TYPE "PeriodStatus" AS ENUM ('PLANNED', 'OPEN', 'CLOSED');

-- CreateEnum
CREATE TYPE "SubmissionStatus" AS ENUM ('DRAFT', 'SUBMITTED', 'REJECTED', 'ACCEPTED');

-- CreateEnum
CREATE TYPE "Vintage" AS ENUM ('FLASH', 'OFFICIAL');

-- CreateEnum
CREATE TYPE "WarningRuleKind" AS ENUM ('GAP_TO_TARGET', 'BELOW_AVERAGE', 'RANK_BOTTOM', 'DECLINING_TREND');

-- CreateEnum
CREATE TYPE "LightLevel" AS ENUM ('GREEN', 'YELLOW', 'RED');

-- CreateEnum
CREATE TYPE "WarningStatus" AS ENUM ('OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS', 'RESOLVED');

-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('OPEN', 'IN_PROGRESS', 'DONE', 'CANCELLED');

-- CreateEnum
CREATE TYPE "MeetingKind" AS ENUM ('MONTHLY', 'SPECIAL', 'INTERVIEW');

-- CreateEnum
CREATE TYPE "MeetingStatus" AS ENUM ('PROPOSED', 'SCHEDULED', 'HELD', 'CANCELLED');

-- CreateEnum
CREATE TYPE "AttendeeRole" AS ENUM ('HOST', 'ATTENDEE', 'EXCHANGE_SEAT', 'STATEMENT_SEAT', 'INTERVIEWEE');

-- CreateEnum
CREATE TYPE "Rsvp" AS ENUM ('PENDING', 'ACCEPTED', 'DECLINED');

-- CreateEnum
CREATE TYPE "ProblemStatus" AS ENUM ('OPEN', 'IN_PROGRESS', 'CLOSED');

-- CreateEnum
CREATE TYPE "OutboundKind" AS ENUM ('SEND', 'REPLY', 'UPDATE_CARD', 'DELAYED_UPDATE', 'URGENT', 'FILE_UPLOAD');

-- CreateEnum
CREATE TYPE "OutboundStatus" AS ENUM ('PENDING', 'SENT', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "AttemptOutcome" AS ENUM ('SENT', 'RETRY', 'RATE_LIMITED', 'PERMANENT');

-- CreateTable
CREATE TABLE "Unit" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "shortName" TEXT,
    "kind" "UnitKind" NOT NULL,
    "parentId" UUID,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Unit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT,
    "openId" TEXT,
    "userId" TEXT,
    "mobile" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UnitRole" (
    "id" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "role" "UnitRoleKind" NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "UnitRole_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Leader" (
    "id" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "rank" "LeaderRank" NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "Leader_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LeaderDomain" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "leaderId" UUID NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "LeaderDomain_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LeaderDomainIndicator" (
    "domainId" UUID NOT NULL,
    "indicatorId" UUID NOT NULL,

    CONSTRAINT "LeaderDomainIndicator_pkey" PRIMARY KEY ("domainId","indicatorId")
);

-- CreateTable
CREATE TABLE "LeaderDomainUnit" (
    "domainId" UUID NOT NULL,
    "unitId" UUID NOT NULL,

    CONSTRAINT "LeaderDomainUnit_pkey" PRIMARY KEY ("domainId","unitId")
);

-- CreateTable
CREATE TABLE "Indicator" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "measureUnit" TEXT NOT NULL,
    "valueKind" "ValueKind" NOT NULL,
    "growthBasis" "GrowthBasis" NOT NULL DEFAULT 'YOY',
    "frequency" "Frequency" NOT NULL,
    "direction" "Direction" NOT NULL DEFAULT 'HIGHER_IS_BETTER',
    "decimals" INTEGER NOT NULL DEFAULT 2,
    "leadUnitId" UUID,
    "source" TEXT,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Indicator_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Assignment" (
    "id" UUID NOT NULL,
    "indicatorId" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "cycleId" UUID NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "Assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Target" (
    "id" UUID NOT NULL,
    "indicatorId" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "periodType" "TargetPeriod" NOT NULL,
    "periodNo" INTEGER NOT NULL DEFAULT 0,
    "growthPct" DECIMAL(9,2),
    "value" DECIMAL(20,4),
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "Target_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportingCycle" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "frequency" "Frequency" NOT NULL,
    "dueDay" INTEGER NOT NULL,
    "dueShiftForward" BOOLEAN NOT NULL DEFAULT true,
    "remindDaysBefore" INTEGER[] DEFAULT ARRAY[3, 1]::INTEGER[],
    "remindHour" INTEGER NOT NULL DEFAULT 9,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "ReportingCycle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportingPeriod" (
    "id" UUID NOT NULL,
    "cycleId" UUID NOT NULL,
    "periodKey" TEXT NOT NULL,
    "startDate" DATE NOT NULL,
    "endDate" DATE NOT NULL,
    "dueDate" DATE NOT NULL,
    "status" "PeriodStatus" NOT NULL DEFAULT 'PLANNED',
    "openedAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ReportingPeriod_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Submission" (
    "id" UUID NOT NULL,
    "periodId" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "indicatorId" UUID NOT NULL,
    "status" "SubmissionStatus" NOT NULL DEFAULT 'SUBMITTED',
    "currentRevisionNo" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Submission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SubmissionRevision" (
    "id" UUID NOT NULL,
    "submissionId" UUID NOT NULL,
    "revisionNo" INTEGER NOT NULL,
    "value" DECIMAL(20,4) NOT NULL,
    "growthPct" DECIMAL(9,2),
    "problems" TEXT,
    "forecast" TEXT,
    "measures" TEXT,
    "enterpriseCoverage" TEXT,
    "keyWork" TEXT,
    "vintage" "Vintage" NOT NULL DEFAULT 'FLASH',
    "reason" TEXT,
    "submittedById" UUID,
    "submittedAt" TIMESTAMPTZ(3) NOT NULL,
    "requestKey" TEXT,

    CONSTRAINT "SubmissionRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WarningRule" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "kind" "WarningRuleKind" NOT NULL,
    "indicatorId" UUID,
    "yellow" DECIMAL(9,2) NOT NULL,
    "red" DECIMAL(9,2) NOT NULL,
    "params" JSONB,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "WarningRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Warning" (
    "id" UUID NOT NULL,
    "periodId" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "indicatorId" UUID NOT NULL,
    "leaderId" UUID,
    "level" "LightLevel" NOT NULL,
    "status" "WarningStatus" NOT NULL DEFAULT 'OPEN',
    "reasons" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Warning_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WarningEvent" (
    "id" UUID NOT NULL,
    "warningId" UUID NOT NULL,
    "fromStatus" "WarningStatus",
    "toStatus" "WarningStatus" NOT NULL,
    "level" "LightLevel" NOT NULL,
    "actorId" UUID,
    "note" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WarningEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Task" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "unitId" UUID NOT NULL,
    "ownerId" UUID,
    "assignedById" UUID,
    "dueDate" DATE NOT NULL,
    "status" "TaskStatus" NOT NULL DEFAULT 'OPEN',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "warningId" UUID,
    "meetingId" UUID,
    "closedAt" TIMESTAMPTZ(3),
    "requestKey" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TaskUpdate" (
    "id" UUID NOT NULL,
    "taskId" UUID NOT NULL,
    "authorId" UUID,
    "status" "TaskStatus" NOT NULL,
    "progress" INTEGER NOT NULL,
    "note" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TaskUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Ranking" (
    "id" UUID NOT NULL,
    "periodId" UUID NOT NULL,
    "scope" TEXT NOT NULL,
    "indicatorId" UUID,
    "computedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Ranking_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RankingEntry" (
    "id" UUID NOT NULL,
    "rankingId" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "indicatorId" UUID,
    "rank" INTEGER NOT NULL,
    "score" DECIMAL(12,4) NOT NULL,

    CONSTRAINT "RankingEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" UUID NOT NULL,
    "kind" "MeetingKind" NOT NULL,
    "title" TEXT NOT NULL,
    "agenda" TEXT,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "location" TEXT,
    "status" "MeetingStatus" NOT NULL DEFAULT 'PROPOSED',
    "organiserId" UUID,
    "unitId" UUID,
    "periodId" UUID,
    "warningId" UUID,
    "calendarEventId" TEXT,
    "chatId" TEXT,
    "requestKey" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingAttendee" (
    "id" UUID NOT NULL,
    "meetingId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "role" "AttendeeRole" NOT NULL DEFAULT 'ATTENDEE',
    "rsvp" "Rsvp" NOT NULL DEFAULT 'PENDING',
    "respondedAt" TIMESTAMPTZ(3),

    CONSTRAINT "MeetingAttendee_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InterviewRecord" (
    "id" UUID NOT NULL,
    "meetingId" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "intervieweeId" UUID,
    "reason" TEXT NOT NULL,
    "commitments" TEXT,
    "followUpDate" DATE,
    "recordedById" UUID,
    "archivedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InterviewRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Problem" (
    "id" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "enterprise" TEXT,
    "project" TEXT,
    "status" "ProblemStatus" NOT NULL DEFAULT 'OPEN',
    "reportedById" UUID,
    "reportedAt" TIMESTAMPTZ(3) NOT NULL,
    "closedAt" TIMESTAMPTZ(3),
    "resolution" TEXT,
    "requestKey" TEXT,

    CONSTRAINT "Problem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboundMessage" (
    "id" UUID NOT NULL,
    "kind" "OutboundKind" NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "receiveIdType" TEXT,
    "receiveId" TEXT,
    "targetMessageId" TEXT,
    "msgType" TEXT,
    "content" JSONB NOT NULL,
    "status" "OutboundStatus" NOT NULL DEFAULT 'PENDING',
    "notBefore" TIMESTAMPTZ(3),
    "feishuMessageId" TEXT,
    "attemptCount" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "sentAt" TIMESTAMPTZ(3),

    CONSTRAINT "OutboundMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeliveryAttempt" (
    "id" UUID NOT NULL,
    "messageId" UUID NOT NULL,
    "attemptNo" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "httpStatus" INTEGER,
    "code" INTEGER,
    "detail" TEXT,
    "logId" TEXT,
    "outcome" "AttemptOutcome" NOT NULL,

    CONSTRAINT "DeliveryAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboundReceipt" (
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "InboundReceipt_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actorId" UUID,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT,
    "data" JSONB,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Unit_code_key" ON "Unit"("code");

-- CreateIndex
CREATE INDEX "Unit_parentId_idx" ON "Unit"("parentId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_code_key" ON "Person"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Person_openId_key" ON "Person"("openId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_userId_key" ON "Person"("userId");

-- CreateIndex
CREATE INDEX "UnitRole_personId_idx" ON "UnitRole"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "UnitRole_unitId_personId_role_key" ON "UnitRole"("unitId", "personId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "Leader_personId_key" ON "Leader"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "LeaderDomain_code_key" ON "LeaderDomain"("code");

-- CreateIndex
CREATE INDEX "LeaderDomainIndicator_indicatorId_idx" ON "LeaderDomainIndicator"("indicatorId");

-- CreateIndex
CREATE INDEX "LeaderDomainUnit_unitId_idx" ON "LeaderDomainUnit"("unitId");

-- CreateIndex
CREATE UNIQUE INDEX "Indicator_code_key" ON "Indicator"("code");

-- CreateIndex
CREATE INDEX "Assignment_unitId_idx" ON "Assignment"("unitId");

-- CreateIndex
CREATE UNIQUE INDEX "Assignment_indicatorId_unitId_cycleId_key" ON "Assignment"("indicatorId", "unitId", "cycleId");

-- CreateIndex
CREATE INDEX "Target_unitId_idx" ON "Target"("unitId");

-- CreateIndex
CREATE UNIQUE INDEX "Target_indicatorId_unitId_year_periodType_periodNo_key" ON "Target"("indicatorId", "unitId", "year", "periodType", "periodNo");

-- CreateIndex
CREATE UNIQUE INDEX "ReportingCycle_code_key" ON "ReportingCycle"("code");

-- CreateIndex
CREATE UNIQUE INDEX "ReportingPeriod_cycleId_periodKey_key" ON "ReportingPeriod"("cycleId", "periodKey");

-- CreateIndex
CREATE INDEX "Submission_indicatorId_periodId_idx" ON "Submission"("indicatorId", "periodId");

-- CreateIndex
CREATE UNIQUE INDEX "Submission_periodId_unitId_indicatorId_key" ON "Submission"("periodId", "unitId", "indicatorId");

-- CreateIndex
CREATE UNIQUE INDEX "SubmissionRevision_requestKey_key" ON "SubmissionRevision"("requestKey");

-- CreateIndex
CREATE UNIQUE INDEX "SubmissionRevision_submissionId_revisionNo_key" ON "SubmissionRevision"("submissionId", "revisionNo");

-- CreateIndex
CREATE UNIQUE INDEX "WarningRule_code_key" ON "WarningRule"("code");

-- CreateIndex
CREATE INDEX "Warning_status_idx" ON "Warning"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Warning_periodId_unitId_indicatorId_key" ON "Warning"("periodId", "unitId", "indicatorId");

-- CreateIndex
CREATE INDEX "WarningEvent_warningId_at_idx" ON "WarningEvent"("warningId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Task_requestKey_key" ON "Task"("requestKey");

-- CreateIndex
CREATE INDEX "Task_unitId_status_idx" ON "Task"("unitId", "status");

-- CreateIndex
CREATE INDEX "TaskUpdate_taskId_at_idx" ON "TaskUpdate"("taskId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Ranking_periodId_scope_key" ON "Ranking"("periodId", "scope");

-- CreateIndex
CREATE UNIQUE INDEX "RankingEntry_rankingId_unitId_key" ON "RankingEntry"("rankingId", "unitId");

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_requestKey_key" ON "Meeting"("requestKey");

-- CreateIndex
CREATE INDEX "Meeting_startsAt_idx" ON "Meeting"("startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "MeetingAttendee_meetingId_personId_key" ON "MeetingAttendee"("meetingId", "personId");

-- CreateIndex
CREATE UNIQUE INDEX "InterviewRecord_meetingId_key" ON "InterviewRecord"("meetingId");

-- CreateIndex
CREATE UNIQUE INDEX "Problem_requestKey_key" ON "Problem"("requestKey");

-- CreateIndex
CREATE INDEX "Problem_unitId_status_idx" ON "Problem"("unitId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "OutboundMessage_dedupeKey_key" ON "OutboundMessage"("dedupeKey");

-- CreateIndex
CREATE INDEX "OutboundMessage_status_createdAt_idx" ON "OutboundMessage"("status", "createdAt");

-- CreateIndex
CREATE INDEX "DeliveryAttempt_messageId_idx" ON "DeliveryAttempt"("messageId");

-- CreateIndex
CREATE INDEX "AuditLog_entity_entityId_idx" ON "AuditLog"("entity", "entityId");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

-- AddForeignKey
ALTER TABLE "Unit" ADD CONSTRAINT "Unit_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UnitRole" ADD CONSTRAINT "UnitRole_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UnitRole" ADD CONSTRAINT "UnitRole_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Leader" ADD CONSTRAINT "Leader_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeaderDomain" ADD CONSTRAINT "LeaderDomain_leaderId_fkey" FOREIGN KEY ("leaderId") REFERENCES "Leader"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeaderDomainIndicator" ADD CONSTRAINT "LeaderDomainIndicator_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "LeaderDomain"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeaderDomainIndicator" ADD CONSTRAINT "LeaderDomainIndicator_indicatorId_fkey" FOREIGN KEY ("indicatorId") REFERENCES "Indicator"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeaderDomainUnit" ADD CONSTRAINT "LeaderDomainUnit_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "LeaderDomain"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeaderDomainUnit" ADD CONSTRAINT "LeaderDomainUnit_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Indicator" ADD CONSTRAINT "Indicator_leadUnitId_fkey" FOREIGN KEY ("leadUnitId") REFERENCES "Unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_indicatorId_fkey" FOREIGN KEY ("indicatorId") REFERENCES "Indicator"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "ReportingCycle"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Target" ADD CONSTRAINT "Target_indicatorId_fkey" FOREIGN KEY ("indicatorId") REFERENCES "Indicator"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Target" ADD CONSTRAINT "Target_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportingPeriod" ADD CONSTRAINT "ReportingPeriod_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "ReportingCycle"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Submission" ADD CONSTRAINT "Submission_periodId_fkey" FOREIGN KEY ("periodId") REFERENCES "ReportingPeriod"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Submission" ADD CONSTRAINT "Submission_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Submission" ADD CONSTRAINT "Submission_indicatorId_fkey" FOREIGN KEY ("indicatorId") REFERENCES "Indicator"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubmissionRevision" ADD CONSTRAINT "SubmissionRevision_submissionId_fkey" FOREIGN KEY ("submissionId") REFERENCES "Submission"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubmissionRevision" ADD CONSTRAINT "SubmissionRevision_submittedById_fkey" FOREIGN KEY ("submittedById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WarningRule" ADD CONSTRAINT "WarningRule_indicatorId_fkey" FOREIGN KEY ("indicatorId") REFERENCES "Indicator"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Warning" ADD CONSTRAINT "Warning_periodId_fkey" FOREIGN KEY ("periodId") REFERENCES "ReportingPeriod"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Warning" ADD CONSTRAINT "Warning_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Warning" ADD CONSTRAINT "Warning_indicatorId_fkey" FOREIGN KEY ("indicatorId") REFERENCES "Indicator"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Warning" ADD CONSTRAINT "Warning_leaderId_fkey" FOREIGN KEY ("leaderId") REFERENCES "Leader"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WarningEvent" ADD CONSTRAINT "WarningEvent_warningId_fkey" FOREIGN KEY ("warningId") REFERENCES "Warning"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WarningEvent" ADD CONSTRAINT "WarningEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_assignedById_fkey" FOREIGN KEY ("assignedById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_warningId_fkey" FOREIGN KEY ("warningId") REFERENCES "Warning"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskUpdate" ADD CONSTRAINT "TaskUpdate_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskUpdate" ADD CONSTRAINT "TaskUpdate_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ranking" ADD CONSTRAINT "Ranking_periodId_fkey" FOREIGN KEY ("periodId") REFERENCES "ReportingPeriod"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ranking" ADD CONSTRAINT "Ranking_indicatorId_fkey" FOREIGN KEY ("indicatorId") REFERENCES "Indicator"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RankingEntry" ADD CONSTRAINT "RankingEntry_rankingId_fkey" FOREIGN KEY ("rankingId") REFERENCES "Ranking"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RankingEntry" ADD CONSTRAINT "RankingEntry_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RankingEntry" ADD CONSTRAINT "RankingEntry_indicatorId_fkey" FOREIGN KEY ("indicatorId") REFERENCES "Indicator"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_organiserId_fkey" FOREIGN KEY ("organiserId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_periodId_fkey" FOREIGN KEY ("periodId") REFERENCES "ReportingPeriod"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_warningId_fkey" FOREIGN KEY ("warningId") REFERENCES "Warning"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingAttendee" ADD CONSTRAINT "MeetingAttendee_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingAttendee" ADD CONSTRAINT "MeetingAttendee_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InterviewRecord" ADD CONSTRAINT "InterviewRecord_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InterviewRecord" ADD CONSTRAINT "InterviewRecord_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InterviewRecord" ADD CONSTRAINT "InterviewRecord_intervieweeId_fkey" FOREIGN KEY ("intervieweeId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InterviewRecord" ADD CONSTRAINT "InterviewRecord_recordedById_fkey" FOREIGN KEY ("recordedById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Problem" ADD CONSTRAINT "Problem_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Problem" ADD CONSTRAINT "Problem_reportedById_fkey" FOREIGN KEY ("reportedById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliveryAttempt" ADD CONSTRAINT "DeliveryAttempt_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "OutboundMessage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Append-only history: revisions of figures, warning state history and the audit log are never
-- updated or deleted. Prisma's schema has no notion of triggers, so they live only here.
CREATE FUNCTION "econ_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER "SubmissionRevision_append_only" BEFORE UPDATE OR DELETE ON "SubmissionRevision"
  FOR EACH ROW EXECUTE FUNCTION "econ_refuse_change"();
CREATE TRIGGER "WarningEvent_append_only" BEFORE UPDATE OR DELETE ON "WarningEvent"
  FOR EACH ROW EXECUTE FUNCTION "econ_refuse_change"();
CREATE TRIGGER "AuditLog_append_only" BEFORE UPDATE OR DELETE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION "econ_refuse_change"();
