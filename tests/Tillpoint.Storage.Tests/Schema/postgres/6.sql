-- Reports (the API's Get Reports and Create Report) and their schedules. A report's columns are all it is; its
-- document, the file downloaded, is kept with it once complete. due_at is when processing completes (in
-- progress) or when the report is deleted (90 days after creation), for the sweeper.
CREATE TABLE reports (
    merchant_id text NOT NULL,
    environment text NOT NULL,
    report_id text NOT NULL,
    report_type text NOT NULL,
    processing_status text NOT NULL,
    start_time timestamptz NOT NULL,
    end_time timestamptz NOT NULL,
    created_at timestamptz NOT NULL,
    processing_start_time timestamptz NULL,
    processing_end_time timestamptz NULL,
    ready_at timestamptz NOT NULL,
    report_document_id text NULL,
    report_schedule_id text NULL,
    due_at timestamptz NULL,
    document bytea NULL,
    UNIQUE (merchant_id, environment, report_id)
);
CREATE INDEX reports_by_created ON reports (merchant_id, environment, created_at, report_id);
CREATE UNIQUE INDEX reports_by_document ON reports (merchant_id, environment, report_document_id) WHERE report_document_id IS NOT NULL;
CREATE INDEX reports_due ON reports (environment, due_at) WHERE due_at IS NOT NULL;
-- One schedule per report type: the second unique key is that rule.
CREATE TABLE report_schedules (
    merchant_id text NOT NULL,
    environment text NOT NULL,
    report_schedule_id text NOT NULL,
    report_type text NOT NULL,
    schedule_frequency text NOT NULL,
    next_report_creation_time timestamptz NOT NULL,
    UNIQUE (merchant_id, environment, report_schedule_id),
    UNIQUE (merchant_id, environment, report_type)
);
CREATE INDEX report_schedules_due ON report_schedules (environment, next_report_creation_time);