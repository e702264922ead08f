-- Every accepted event, once per id: the stream's events as a table.
-- The payload is kept as JSON (at its current schema version) and its fields
-- are also spread over typed columns, so queries need no JSON functions; a
-- column a type does not use holds its zero value ('' / 0 / 1970-01-01);
-- changes lists the fields a procedure.amended event sets.
-- ReplacingMergeTree collapses an event inserted twice (same id, hence same
-- partition and sorting key) when parts merge; until then count with
-- uniqExact(id) or read with FINAL.
CREATE TABLE IF NOT EXISTS {db}.events
(
    id                   String,
    type                 String,
    schema_version       UInt8,
    agency               String,
    subject_id           String,
    occurred_at          DateTime('Asia/Ho_Chi_Minh'),
    recorded_at          DateTime('Asia/Ho_Chi_Minh'),
    stream_seq           UInt64,
    stored_at            DateTime('Asia/Ho_Chi_Minh'),
    payload              String,

    name                 String,
    reason               String,
    channel              String,
    outcome              String,
    kind                 String,
    to_agency            String,
    effective_from       Date,

    level                String,
    parent               String,
    into                 String,
    system               String,

    field                String,
    levels               Array(String),
    decision_no          String,
    decision_date        Date,
    statutory_days       Float64,
    online_level         String,
    online_eligible      UInt8,
    fee_vnd              Int64,
    paper_result         UInt8,
    internal             UInt8,
    review_plan          String,
    changes              Array(String),

    procedure            String,
    applicant            String,
    due_at               DateTime('Asia/Ho_Chi_Minh'),
    new_due_at           DateTime('Asia/Ho_Chi_Minh'),
    components           UInt16,
    components_digitised UInt16,
    components_reused    UInt16,
    amount_vnd           Int64,
    online               UInt8,
    electronic           UInt8,
    portal               String,
    satisfied            UInt8,
    score                UInt8,

    topic                String,
    handler              String,

    plan                 String,
    code                 String,
    title                String,
    lead                 String,
    coordinating         Array(String),
    deadline_kind        String,
    deadline_date        Date,
    deadline_year        UInt16,
    deadline_month       UInt8,
    deadline_quarter     UInt8,
    deadline_half        UInt8,
    recurrence           String,
    area                 String,
    percent              UInt8,
    product              String,
    year                 UInt16,

    indicator            String,
    value                Float64,
    unit                 String,
    rank                 UInt16,
    rank_of              UInt16,
    period_from          Date,
    period_to            Date,
    source               String
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (type, agency, subject_id, id)
