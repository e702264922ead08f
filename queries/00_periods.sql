-- The reporting periods, 2015–2040: months, quarters, half-years, nine
-- months and years, each in two cut-offs:
--   calendar  1st of the first month → last day of the last month;
--   official  Nghị định 09/2019: 15th of the month before → 14th of the last
--             month (a quarter 15/12–14/3, the six months 15/12–14/6, the
--             year 15/12–14/12).
-- period_end is inclusive; period_code numbers the period for joins. prev_start/prev_end are the same period a year
-- earlier, for "so với cùng kỳ năm trước". Filter it like a table:
--   SELECT * FROM baocao.periods WHERE kind = 'quarter' AND cutoff = 'official' AND year = 2024
CREATE VIEW IF NOT EXISTS {db}.periods AS
SELECT
    kind,
    cutoff,
    year,
    number,
    -- one number for the four above, for joins:
    -- cut-off (1 calendar, 2 official) × 10⁷ + kind (1 month, 2 quarter,
    -- 3 half_year, 4 nine_months, 5 year) × 10⁶ + year × 100 + number
    toUInt32(if(cutoff = 'calendar', 1, 2) * 10000000
             + indexOf(['month', 'quarter', 'half_year', 'nine_months', 'year'], kind) * 1000000
             + year * 100 + number)                                                 AS period_code,
    multiIf(kind = 'month',     concat('Tháng ', toString(number), '/', toString(year)),
            kind = 'quarter',   concat('Quý ', arrayElement(['I', 'II', 'III', 'IV'], number), '/', toString(year)),
            kind = 'half_year', concat(if(number = 1, '6 tháng đầu năm ', '6 tháng cuối năm '), toString(year)),
            kind = 'nine_months', concat('9 tháng năm ', toString(year)),
            concat('Năm ', toString(year)))                                        AS label,
    period_start,
    period_end,
    prev_start,
    prev_end
FROM
(
    SELECT
        tupleElement(spec, 1)                                                      AS kind,
        tupleElement(spec, 2)                                                      AS number,
        cutoff,
        year,
        if(cutoff = 'calendar',
           addMonths(jan1, tupleElement(spec, 3) - 1),
           addDays(addMonths(jan1, tupleElement(spec, 3) - 2), 14))                AS period_start,
        if(cutoff = 'calendar',
           addDays(addMonths(jan1, tupleElement(spec, 3) - 1 + tupleElement(spec, 4)), -1),
           addDays(addMonths(jan1, tupleElement(spec, 3) - 2 + tupleElement(spec, 4)), 13)) AS period_end,
        -- the same period a year earlier, counted from its own 1 January (not
        -- period_end minus a year: February 2017 compares with 1–29/2/2016)
        if(cutoff = 'calendar',
           addMonths(prev_jan1, tupleElement(spec, 3) - 1),
           addDays(addMonths(prev_jan1, tupleElement(spec, 3) - 2), 14))           AS prev_start,
        if(cutoff = 'calendar',
           addDays(addMonths(prev_jan1, tupleElement(spec, 3) - 1 + tupleElement(spec, 4)), -1),
           addDays(addMonths(prev_jan1, tupleElement(spec, 3) - 2 + tupleElement(spec, 4)), 13)) AS prev_end
    FROM
    (
        SELECT year, jan1, addYears(jan1, -1) AS prev_jan1, spec
        FROM
        (
            SELECT toUInt16(2015 + number) AS year, toDate(concat(toString(2015 + number), '-01-01')) AS jan1
            FROM system.numbers
            LIMIT 26
        )
        -- (kind, number, first month, months)
        ARRAY JOIN arrayConcat(
            arrayMap(i -> ('month', toUInt8(i + 1), toInt32(i + 1), toInt32(1)), range(12)),
            arrayMap(i -> ('quarter', toUInt8(i + 1), toInt32(3 * i + 1), toInt32(3)), range(4)),
            arrayMap(i -> ('half_year', toUInt8(i + 1), toInt32(6 * i + 1), toInt32(6)), range(2)),
            [('nine_months', toUInt8(1), toInt32(1), toInt32(9)), ('year', toUInt8(1), toInt32(1), toInt32(12))]
        ) AS spec
    )
    -- one ARRAY JOIN per SELECT on 18.16
    ARRAY JOIN ['calendar', 'official'] AS cutoff
)
