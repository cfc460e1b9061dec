-- Reports (the API's Get Reports and Create Report) and their schedules. A report's columns are all it is; its
-- document, the file downloaded, is kept with it once complete. due_at is when processing completes (in
-- progress) or when the report is deleted (90 days after creation), for the sweeper.
CREATE TABLE reports (
    merchant_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    report_id TEXT NOT NULL,
    report_type TEXT NOT NULL,
    processing_status TEXT NOT NULL,
    start_time INTEGER NOT NULL,
    end_time INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    processing_start_time INTEGER NULL,
    processing_end_time INTEGER NULL,
    ready_at INTEGER NOT NULL,
    report_document_id TEXT NULL,
    report_schedule_id TEXT NULL,
    due_at INTEGER NULL,
    document BLOB NULL,
    UNIQUE (merchant_id, environment, report_id)
);
CREATE INDEX reports_by_created ON reports (merchant_id, environment, created_at, report_id);
CREATE UNIQUE INDEX reports_by_document ON reports (merchant_id, environment, report_document_id) WHERE report_document_id IS NOT NULL;
CREATE INDEX reports_due ON reports (environment, due_at) WHERE due_at IS NOT NULL;
-- One schedule per report type: the second unique key is that rule.
CREATE TABLE report_schedules (
    merchant_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    report_schedule_id TEXT NOT NULL,
    report_type TEXT NOT NULL,
    schedule_frequency TEXT NOT NULL,
    next_report_creation_time INTEGER NOT NULL,
    UNIQUE (merchant_id, environment, report_schedule_id),
    UNIQUE (merchant_id, environment, report_type)
);
CREATE INDEX report_schedules_due ON report_schedules (environment, next_report_creation_time);