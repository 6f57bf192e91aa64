-- CreateTable
CREATE TABLE "Valuation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "request" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "payout" TEXT,
    "logSize" BIGINT NOT NULL,
    "logRoot" TEXT NOT NULL,
    "checkpoint" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ValuationEvaluation" (
    "valuationId" TEXT NOT NULL,
    "index" BIGINT NOT NULL,
    "leafHash" TEXT NOT NULL,
    "body" TEXT NOT NULL,

    PRIMARY KEY ("valuationId", "index"),
    CONSTRAINT "ValuationEvaluation_valuationId_fkey" FOREIGN KEY ("valuationId") REFERENCES "Valuation" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

