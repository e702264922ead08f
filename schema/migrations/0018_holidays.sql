-- The user's own calendar: days that differ from the built-in public
-- holidays of the view calendar (queries/00_calendar.sql). A row wins for its
-- day, both ways:
--   working = 0  a day off: a holiday or bridge day the government announced,
--                e.g. Monday 29/4/2024, swapped with Saturday 4/5/2024;
--   working = 1  a working day: a weekend day worked in compensation (làm
--                bù), e.g. Saturday 4/5/2024, or a built-in holiday not taken.
-- The latest row of a day (by updated_at) counts; a later row changes it.
--   INSERT INTO baocao.holidays (day, name, working, updated_at)
--   SELECT toDate('2024-04-29'), 'Nghỉ hoán đổi (làm bù thứ Bảy 4/5)', 0, now()
--   UNION ALL
--   SELECT toDate('2024-05-04'), 'Làm bù cho thứ Hai 29/4', 1, now()
-- No event fills it: `baocao rebuild` leaves it in place.
-- baocao:keep-on-rebuild
CREATE TABLE IF NOT EXISTS {db}.holidays
(
    day         Date,
    name        String,
    working     UInt8,
    updated_at  DateTime('Asia/Ho_Chi_Minh')
)
ENGINE = ReplacingMergeTree(updated_at)
PARTITION BY tuple()
ORDER BY day
